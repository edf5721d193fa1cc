#pragma once
// The Box2D world of one Amr episode: the map's solid cells and outer walls as
// static boxes, the robot as a dynamic disc driven like a differential drive,
// and the moving obstacles as kinematic discs. It counts the robot's
// collisions: each time it starts touching a body (the floor's shelves and
// walls, or an obstacle) that it was not touching, not steps spent touching.
#include <box2d/b2_body.h>
#include <box2d/b2_world.h>
#include <box2d/b2_world_callbacks.h>

#include <optional>
#include <span>
#include <vector>

#include "envs/box2d/amr_floor_plan.h"

namespace twinrl::amr {

// A position (m) and heading (rad, from the x axis towards y).
struct Pose {
  b2Vec2 position;
  float angle;
};

// A moving obstacle's body at the start of an episode.
struct DiscBody {
  b2Vec2 position;  // m
  float radius;     // m
};

class AmrWorld {
 public:
  AmrWorld() = default;
  AmrWorld(const AmrWorld&) = delete;
  AmrWorld& operator=(const AmrWorld&) = delete;

  // Replaces the world by a fresh one. Box2D's contact cache and broad-phase
  // tree carry history from step to step; a fresh world per episode makes the
  // episode depend only on its start and its actions, so that a checkpoint can
  // replay it exactly.
  void build(const AmrFloorPlan& plan, float cell_size, float robot_radius, const Pose& robot,
             std::span<const DiscBody> obstacles);

  b2World& world() { return *world_; }
  const b2World& world() const { return *world_; }
  const b2Body& robot() const { return *robot_; }
  Pose robot_pose() const { return {robot_->GetPosition(), robot_->GetAngle()}; }
  // Forward speed (m/s, along the heading) and turn rate (rad/s).
  float forward_speed() const;
  float turn_rate() const { return robot_->GetAngularVelocity(); }
  int num_obstacles() const { return static_cast<int>(obstacles_.size()); }
  b2Vec2 obstacle_position(int obstacle) const { return obstacles_[obstacle]->GetPosition(); }
  void set_obstacle_velocity(int obstacle, b2Vec2 velocity) {
    obstacles_[obstacle]->SetLinearVelocity(velocity);
  }

  // Advances one control period in `substeps` Box2D steps with the wheels
  // holding forward speed `speed` and turn rate `turn_rate`: the robot's
  // velocity is set again before every substep, so it never slides sideways,
  // while contacts stop or push it.
  void advance(float speed, float turn_rate, float period, int substeps);
  // Collisions of the robot during the last advance().
  int new_collisions() const { return collisions_.begun; }

 private:
  struct CollisionCounter : b2ContactListener {
    const b2Body* robot = nullptr;
    // Per body (its user data: the floor 0, obstacle i at i + 1), its
    // contacts that touch the robot now.
    std::vector<int> touching;
    int begun = 0;
    void BeginContact(b2Contact* contact) override;
    void EndContact(b2Contact* contact) override;
    // The index of the body `contact` joins to the robot, or -1.
    int other_body(b2Contact& contact) const;
  };

  std::optional<b2World> world_;
  b2Body* robot_ = nullptr;
  std::vector<b2Body*> obstacles_;
  CollisionCounter collisions_;
};

}  // namespace twinrl::amr
