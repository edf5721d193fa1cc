#include "envs/box2d/amr_world.h"

#include <box2d/b2_circle_shape.h>
#include <box2d/b2_contact.h>
#include <box2d/b2_fixture.h>
#include <box2d/b2_polygon_shape.h>

#include <cmath>
#include <cstdint>

#include "envs/box2d/box2d_contact_table.h"

namespace twinrl::amr {
namespace {

// Box2D's recommended solver iterations.
constexpr int kVelocityIterations = 8;
constexpr int kPositionIterations = 3;

b2Body* add_disc(b2World& world, b2BodyType type, b2Vec2 position, float angle, float radius,
                 uintptr_t index = 0) {
  b2BodyDef body;
  body.type = type;
  body.userData.pointer = index;
  body.position = position;
  body.angle = angle;
  b2Body* created = world.CreateBody(&body);
  b2CircleShape disc;
  disc.m_radius = radius;
  b2FixtureDef fixture;
  fixture.shape = &disc;
  fixture.density = 1.0f;
  fixture.friction = 0.0f;  // the robot slides along what it grazes instead of sticking
  created->CreateFixture(&fixture);
  return created;
}

void add_box(b2Body& body, b2Vec2 center, float half_width, float half_height) {
  b2PolygonShape box;
  box.SetAsBox(half_width, half_height, center, 0.0f);
  body.CreateFixture(&box, 0.0f);
}

}  // namespace

int AmrWorld::CollisionCounter::other_body(b2Contact& contact) const {
  b2Body* a = contact.GetFixtureA()->GetBody();
  b2Body* b = contact.GetFixtureB()->GetBody();
  if (a != robot && b != robot) return -1;
  return static_cast<int>((a == robot ? b : a)->GetUserData().pointer);
}

void AmrWorld::CollisionCounter::BeginContact(b2Contact* contact) {
  const int body = other_body(*contact);
  if (body >= 0 && touching[body]++ == 0) ++begun;
}

void AmrWorld::CollisionCounter::EndContact(b2Contact* contact) {
  const int body = other_body(*contact);
  if (body >= 0) --touching[body];
}

void AmrWorld::build(const AmrFloorPlan& plan, float cell_size, float robot_radius,
                     const Pose& robot, std::span<const DiscBody> obstacles) {
  fill_box2d_contact_table();
  world_.reset();
  world_.emplace(b2Vec2_zero);  // seen from above: no gravity
  world_->SetAllowSleeping(false);
  // The fastest body moves a few centimetres per substep, far less than any
  // radius, so no continuous collision is needed (and Box2D's time-of-impact
  // code updates unsynchronized global counters).
  world_->SetContinuousPhysics(false);

  b2BodyDef floor_def;  // user data 0, as the collision counter numbers it
  b2Body& floor = *world_->CreateBody(&floor_def);
  for (const AmrFloorPlan::SolidBlock& block : plan.solid_blocks()) {
    const b2Vec2 half_size(0.5f * static_cast<float>(block.width),
                           0.5f * static_cast<float>(block.height));
    add_box(
        floor,
        cell_size * (b2Vec2(static_cast<float>(block.x), static_cast<float>(block.y)) + half_size),
        cell_size * half_size.x, cell_size * half_size.y);
  }
  // Walls one cell thick around the map.
  const float width = cell_size * static_cast<float>(plan.width());
  const float height = cell_size * static_cast<float>(plan.height());
  const float half_cell = 0.5f * cell_size;
  add_box(floor, {0.5f * width, -half_cell}, 0.5f * width + cell_size, half_cell);
  add_box(floor, {0.5f * width, height + half_cell}, 0.5f * width + cell_size, half_cell);
  add_box(floor, {-half_cell, 0.5f * height}, half_cell, 0.5f * height);
  add_box(floor, {width + half_cell, 0.5f * height}, half_cell, 0.5f * height);

  robot_ = add_disc(*world_, b2_dynamicBody, robot.position, robot.angle, robot_radius);
  obstacles_.clear();
  for (const DiscBody& obstacle : obstacles)
    obstacles_.push_back(add_disc(*world_, b2_kinematicBody, obstacle.position, 0.0f,
                                  obstacle.radius, obstacles_.size() + 1));
  collisions_.robot = robot_;
  collisions_.touching.assign(obstacles_.size() + 1, 0);
  collisions_.begun = 0;
  world_->SetContactListener(&collisions_);
}

float AmrWorld::forward_speed() const {
  const float angle = robot_->GetAngle();
  return b2Dot(robot_->GetLinearVelocity(), b2Vec2(std::cos(angle), std::sin(angle)));
}

void AmrWorld::advance(float speed, float turn_rate, float period, int substeps) {
  collisions_.begun = 0;
  const float dt = period / static_cast<float>(substeps);
  for (int substep = 0; substep < substeps; ++substep) {
    const float angle = robot_->GetAngle();
    robot_->SetLinearVelocity(speed * b2Vec2(std::cos(angle), std::sin(angle)));
    robot_->SetAngularVelocity(turn_rate);
    world_->Step(dt, kVelocityIterations, kPositionIterations);
  }
}

}  // namespace twinrl::amr
