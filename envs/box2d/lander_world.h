#pragma once
// The physics of one lander: a Box2D world holding the random terrain, the
// hull and its two sprung legs, with Gymnasium LunarLander-v3's engines, wind
// and contact sensing. The world is created once; each episode replaces its
// bodies (Box2D's block allocator reuses their memory).
#include <box2d/box2d.h>

#include <array>
#include <span>

#include "core/rng.h"
#include "envs/box2d/lander_constants.h"
#include "envs/box2d/lander_params.h"

namespace twinrl::lander {

inline constexpr int kObservationSize = 8;
using Observation = std::array<double, kObservationSize>;

// What the engines do in one step. A firing engine runs at half to full power.
struct EngineCommand {
  double main_power = 0;   // 0 (off) or [0.5, 1]
  double side_power = 0;   // 0 (off) or [0.5, 1]
  int side_direction = 0;  // -1: the engine that turns the lander counter-clockwise; +1: clockwise
};

// The hull's rigid-body state in world units and the legs' ground sensors,
// leg 0 being the one on the hull's +x side.
struct LanderState {
  double x = 0, y = 0;          // centre of the hull (m)
  double vx = 0, vy = 0;        // m/s
  double angle = 0;             // rad, counter-clockwise
  double angular_velocity = 0;  // rad/s
  std::array<bool, 2> leg_contact = {false, false};
};

class LanderWorld {
 public:
  LanderWorld();
  LanderWorld(const LanderWorld&) = delete;
  LanderWorld& operator=(const LanderWorld&) = delete;

  // Replaces the bodies with a new episode's: terrain heights, the push on the
  // hull and the wind phases are drawn from `rng`.
  void build(const LanderParams& params, Rng& rng);
  // Applies this step's wind force and turbulence torque (while enabled and no
  // leg touches the ground) and the engines' impulses with their random
  // dispersion, then advances the world by one control period.
  void step(const EngineCommand& command, const LanderParams& params, Rng& rng);
  // Advances the world by one control period, nothing else: the physics alone.
  void step_physics();

  // Gymnasium's observation: x, y relative to the pad in half screen sizes,
  // velocities scaled alike per step, angle, angular velocity, leg contacts.
  Observation observe() const;
  LanderState state() const;
  // Puts the hull in `state`, the legs moved along rigidly, and sets the leg
  // sensors until the next contact event (for tests and what-if scenarios).
  void set_state(const LanderState& state);

  // The hull touched the ground since build() (Gymnasium's game over).
  bool hull_touched_ground() const { return contacts_.hull_touched; }
  // Box2D put the lander to sleep: it has come to rest.
  bool at_rest() const { return !hull_->IsAwake(); }
  // Ground height (m) at each of the kTerrainChunks points, evenly spread over the width.
  std::span<const double> terrain() const { return terrain_; }

  b2World& box2d() { return world_; }
  const b2World& box2d() const { return world_; }

 private:
  // Records the hull's and legs' touches of the ground, as Gymnasium's
  // ContactDetector: a leg's sensor clears when any of its contacts ends.
  struct ContactSensor : b2ContactListener {
    void BeginContact(b2Contact* contact) override;
    void EndContact(b2Contact* contact) override;

    const b2Body* hull = nullptr;
    std::array<const b2Body*, 2> legs = {nullptr, nullptr};
    bool hull_touched = false;
    std::array<bool, 2> leg_contact = {false, false};
  };

  void destroy_bodies();
  void build_terrain(Rng& rng);
  void build_lander(const LanderParams& params, Rng& rng);
  void apply_wind(const LanderParams& params);
  void fire_engines(const EngineCommand& command, const LanderParams& params, Rng& rng);

  ContactSensor contacts_;  // before world_, which reports to it until destroyed
  b2World world_;
  b2Body* ground_ = nullptr;
  b2Body* hull_ = nullptr;
  std::array<b2Body*, 2> legs_ = {nullptr, nullptr};
  std::array<double, kTerrainChunks> terrain_{};
  double wind_index_ = 0;
  double torque_index_ = 0;
};

}  // namespace twinrl::lander
