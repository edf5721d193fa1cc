#pragma once
// The `agent` section of an experiment: which algorithm, the training budget,
// and each algorithm's settings.
#include <cstdint>
#include <string>

#include "agents/dqn_config.h"
#include "agents/ppo_config.h"
#include "config/config_node.h"

namespace twinrl {

struct AgentConfig {
  std::string algorithm = "ppo";
  int64_t total_steps = 100000;
  int64_t checkpoint_every = 10000;
  int return_window = 20;
  int evaluate_episodes = 0;
  int64_t record_every = 0;
  int record_episodes = 1;
  int torch_threads = 1;
  PpoConfig ppo;
  DqnConfig dqn;

  template <class Visitor>
  void visit(Visitor& v) {
    v("algorithm", algorithm, {.doc = "learning algorithm", .choices = {"ppo", "dqn"}});
    v("total_steps", total_steps,
      {.doc = "training budget in env steps (summed over envs)", .min = 1});
    v("checkpoint_every", checkpoint_every,
      {.doc = "env steps between checkpoints (latest and best)", .min = 1});
    v("record_every", record_every,
      {.doc = "env steps between rollout recordings of the latest checkpoint into "
              "runs/<name>/rollouts/ (0: only at the end of training); taken at checkpoints",
       .min = 0});
    v("record_episodes", record_episodes,
      {.doc = "episodes per rollout recording (0: record none)", .min = 0, .max = 1000});
    v("return_window", return_window,
      {.doc = "recent episodes averaged into the reported return", .min = 1, .max = 100000});
    v("evaluate_episodes", evaluate_episodes,
      {.doc = "episodes of the deterministic policy at each checkpoint, on the same validation "
              "seeds every time (apart from training's and `eval`'s): logged as eval/return "
              "and eval/kpi/..., and best.pt is the checkpoint of the highest eval/return "
              "(0: best.pt is the checkpoint of the highest recent training return)",
       .min = 0,
       .max = 100000});
    v("torch_threads", torch_threads,
      {.doc = "threads of the learner: with 2 or more, PPO computes the actor's and the "
              "critic's passes side by side, DQN the target and online networks' Q values "
              "of the next observations",
       .min = 1,
       .max = 256});
    v("ppo", ppo);
    v("dqn", dqn);
  }
};

}  // namespace twinrl
