#include "envs/builtin_envs.h"

#include "envs/classic/cartpole.h"

namespace twinrl {

EnvRegistry builtin_envs() {
  EnvRegistry registry;
  registry.add(make_env_entry<CartPoleParams, CartPoleModel>(
      "CartPole", "Balance a pole on a cart (Gymnasium CartPole-v1 dynamics)"));
  return registry;
}

}  // namespace twinrl
