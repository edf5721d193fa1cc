// What the viewer draws of a Lander episode (Env::render_scene, render_state).
#include <box2d/box2d.h>

#include <array>
#include <cmath>
#include <nlohmann/json.hpp>

#include "envs/box2d/box2d_render.h"
#include "envs/box2d/lander_env.h"

namespace twinrl::lander {
namespace {

// A point given in Gymnasium's pixels (lander_constants.h), in metres.
nlohmann::json pixels_json(double x, double y) {
  return point_json(x / kScale, y / kScale);
}

// The legs' bodies, leg 0 (on the hull's +x side) first. LanderWorld does not
// hand them out: they are the bodies whose fixture is in the leg category,
// told apart by their side of the hull.
std::array<const b2Body*, 2> leg_bodies(const b2World& world, const LanderState& hull) {
  std::array<const b2Body*, 2> legs = {nullptr, nullptr};
  for (const b2Body* body = world.GetBodyList(); body; body = body->GetNext()) {
    const b2Fixture* fixture = body->GetFixtureList();
    if (!fixture || fixture->GetFilterData().categoryBits != kLegCategory) continue;
    const b2Vec2 offset =
        body->GetPosition() - b2Vec2(static_cast<float>(hull.x), static_cast<float>(hull.y));
    const double along_hull_x = offset.x * std::cos(hull.angle) + offset.y * std::sin(hull.angle);
    legs[along_hull_x > 0 ? 0 : 1] = body;
  }
  return legs;
}

}  // namespace

void LanderEnv::render_scene(nlohmann::json& scene) const {
  nlohmann::json terrain = nlohmann::json::array();
  const std::span<const double> heights = world_.terrain();
  for (size_t i = 0; i < heights.size(); ++i)
    terrain.push_back(point_json(static_cast<double>(i) * kChunkWidth, heights[i]));
  nlohmann::json hull = nlohmann::json::array();
  for (const auto& [x, y] : kHullPixels) hull.push_back(pixels_json(x, y));
  scene = {
      {"world_size_m", point_json(kWorldWidth, kWorldHeight)},
      {"terrain", std::move(terrain)},
      {"pad", {metres(kHelipadLeft), metres(kHelipadRight), metres(heights[kTerrainChunks / 2])}},
      {"hull", std::move(hull)},
      {"leg_size_m", pixels_json(2 * kLegHalfWidth, 2 * kLegHalfHeight)},
      {"main_nozzle", pixels_json(0, -kMainEngineOffset)},
      // The left engine (side_throttle < 0) pushes towards -x from the +x side.
      {"side_nozzles",
       {pixels_json(kSideEngineAway, kSideEngineHeight),
        pixels_json(-kSideEngineAway, kSideEngineHeight)}},
  };
}

void LanderEnv::render_state(nlohmann::json& state) const {
  const LanderState hull = world_.state();
  nlohmann::json legs = nlohmann::json::array();
  for (const b2Body* leg : leg_bodies(world_.box2d(), hull))
    legs.push_back(pose_json(leg->GetPosition().x, leg->GetPosition().y, leg->GetAngle()));
  // The command of the last step: none right after a reset.
  const EngineCommand command =
      steps_ > 0 && steps_ <= std::ssize(commands_) ? commands_[steps_ - 1] : EngineCommand{};
  state = {
      {"hull", pose_json(hull.x, hull.y, hull.angle)},
      {"legs", std::move(legs)},
      {"leg_contact", {hull.leg_contact[0] ? 1 : 0, hull.leg_contact[1] ? 1 : 0}},
      {"main_throttle", round_to_decimals(command.main_power, kFractionDecimals)},
      {"side_throttle",
       round_to_decimals(command.side_direction * command.side_power, kFractionDecimals)},
  };
}

}  // namespace twinrl::lander
