#pragma once
// An env of a built-in family stepped by hand and recorded as the rollout
// recorder records it, for the tests of the envs' drawings.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "config/config_node.h"
#include "envs/builtin_envs.h"
#include "viewer/drawers/scene_drawer.h"

namespace twinrl::viewer {

// The scene and the state after reset, then the state and the KPIs so far
// after each step.
class EpisodeRecording {
 public:
  EpisodeRecording(const std::string& env_id, const std::string& params_yaml, uint64_t seed)
      : EpisodeRecording(
            builtin_envs().find(env_id)->build(parse_config_text(params_yaml, "params.yaml")),
            seed) {}
  EpisodeRecording(std::shared_ptr<const EnvModel> model, uint64_t seed)
      : model_(std::move(model)), env_(model_->make_env()) {
    const EnvSpec& spec = model_->spec();
    observation_.resize(spec.num_agents * spec.observation_space.size());
    reward_.resize(spec.num_agents);
    if (spec.has_action_mask)
      mask_ = std::make_unique<bool[]>(spec.num_agents * spec.action_space.mask_size());
    env_->seed(seed);
    env_->reset(output());
    env_->render_scene(episode_.scene);
    record();
  }

  Env& env() { return *env_; }
  const EnvSpec& spec() const { return model_->spec(); }
  const EnvModel& model() const { return *model_; }
  const bool* mask() const { return mask_.get(); }
  const RolloutEpisode& episode() const { return episode_; }
  const nlohmann::json& state() const { return episode_.steps.back().state; }

  void step(const ActionRef& action) {
    env_->step(action, output());
    record();
  }

  EpisodePicture draw() const {
    RolloutHeader header;
    header.env_id = model_->spec().id;
    const std::unique_ptr<SceneDrawer> drawer = make_scene_drawer(header, builtin_envs());
    EXPECT_NE(drawer, nullptr) << model_->spec().id;
    return drawer->draw(episode_);
  }

 private:
  EnvOutput output() { return {observation_.data(), reward_.data(), mask_.get()}; }

  void record() {
    RolloutStep step;
    step.kpis.resize(model_->spec().kpi_names.size());
    EXPECT_NO_THROW(env_->episode_kpis(step.kpis));  // mid-episode: the KPIs so far
    env_->render_state(step.state);
    episode_.steps.push_back(std::move(step));
  }

  std::shared_ptr<const EnvModel> model_;
  std::unique_ptr<Env> env_;
  std::vector<float> observation_, reward_;
  std::unique_ptr<bool[]> mask_;
  RolloutEpisode episode_;
};

}  // namespace twinrl::viewer
