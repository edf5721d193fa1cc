#include "envs/box2d/lander_world.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/samplers.h"
#include "envs/box2d/box2d_contact_table.h"

namespace twinrl::lander {
namespace {

b2Vec2 vec(double x, double y) {
  return {static_cast<float>(x), static_cast<float>(y)};
}

// Gymnasium's wind and turbulence profile: never periodic, in [-1, 1].
double wind_profile(double index) {
  return std::tanh(std::sin(2 * kWindFrequency * index) +
                   std::sin(std::numbers::pi * kWindFrequency * index));
}

}  // namespace

void LanderWorld::ContactSensor::BeginContact(b2Contact* contact) {
  const b2Body* a = contact->GetFixtureA()->GetBody();
  const b2Body* b = contact->GetFixtureB()->GetBody();
  if (a == hull || b == hull) hull_touched = true;
  for (int leg = 0; leg < 2; ++leg)
    if (a == legs[leg] || b == legs[leg]) leg_contact[leg] = true;
}

void LanderWorld::ContactSensor::EndContact(b2Contact* contact) {
  const b2Body* a = contact->GetFixtureA()->GetBody();
  const b2Body* b = contact->GetFixtureB()->GetBody();
  for (int leg = 0; leg < 2; ++leg)
    if (a == legs[leg] || b == legs[leg]) leg_contact[leg] = false;
}

LanderWorld::LanderWorld() : world_(b2Vec2(0, -10)) {
  fill_box2d_contact_table();
  world_.SetContactListener(&contacts_);
}

void LanderWorld::destroy_bodies() {
  // Destroying a body destroys its joints and contacts.
  for (b2Body** body : {&ground_, &hull_, &legs_[0], &legs_[1]}) {
    if (*body) world_.DestroyBody(*body);
    *body = nullptr;
  }
  contacts_ = ContactSensor{};
}

void LanderWorld::build(const LanderParams& params, Rng& rng) {
  destroy_bodies();
  world_.SetGravity(vec(0, params.gravity));
  build_terrain(rng);
  build_lander(params, rng);
  wind_index_ = static_cast<double>(uniform_integer(rng, -kWindIndexRange, kWindIndexRange - 1));
  torque_index_ = static_cast<double>(uniform_integer(rng, -kWindIndexRange, kWindIndexRange - 1));
}

void LanderWorld::build_terrain(Rng& rng) {
  // One random height more than chunks: Gymnasium's smoothing of the first
  // point wraps around to the last height.
  std::array<double, kTerrainChunks + 1> height;
  for (double& h : height) h = rng.uniform(0, kWorldHeight / 2);
  for (int i = kTerrainChunks / 2 - 2; i <= kTerrainChunks / 2 + 2; ++i) height[i] = kHelipadY;
  for (int i = 0; i < kTerrainChunks; ++i) {
    const double before = height[i == 0 ? kTerrainChunks : i - 1];
    // 0.33, not 1/3, as Gymnasium: the pad lies 1% below kHelipadY.
    terrain_[i] = 0.33 * (before + height[i] + height[i + 1]);
  }

  b2BodyDef body;
  ground_ = world_.CreateBody(&body);
  b2EdgeShape edge;
  b2FixtureDef fixture;
  fixture.shape = &edge;
  edge.SetTwoSided(vec(0, 0), vec(kWorldWidth, 0));  // the bottom of the screen
  ground_->CreateFixture(&fixture);
  fixture.friction = kGroundFriction;
  for (int i = 0; i + 1 < kTerrainChunks; ++i) {
    edge.SetTwoSided(vec(i * kChunkWidth, terrain_[i]),
                     vec((i + 1) * kChunkWidth, terrain_[i + 1]));
    ground_->CreateFixture(&fixture);
  }
}

void LanderWorld::build_lander(const LanderParams& params, Rng& rng) {
  const double start_x = kWorldWidth / 2;
  const double start_y = kWorldHeight;
  b2BodyDef body;
  body.type = b2_dynamicBody;
  body.position = vec(start_x, start_y);
  hull_ = world_.CreateBody(&body);
  std::array<b2Vec2, kHullPixels.size()> vertices;
  for (size_t i = 0; i < vertices.size(); ++i)
    vertices[i] = vec(kHullPixels[i][0] / kScale, kHullPixels[i][1] / kScale);
  b2PolygonShape hull_shape;
  hull_shape.Set(vertices.data(), static_cast<int32>(vertices.size()));
  b2FixtureDef hull_fixture;
  hull_fixture.shape = &hull_shape;
  hull_fixture.density = static_cast<float>(params.hull_density);
  hull_fixture.friction = kHullFriction;
  hull_fixture.restitution = 0;
  hull_fixture.filter.categoryBits = kHullCategory;
  hull_fixture.filter.maskBits = kGroundCategory;
  hull_->CreateFixture(&hull_fixture);
  const double push_x = rng.uniform(-params.initial_random_force, params.initial_random_force);
  const double push_y = rng.uniform(-params.initial_random_force, params.initial_random_force);
  hull_->ApplyForceToCenter(vec(push_x, push_y), true);

  b2PolygonShape leg_shape;
  leg_shape.SetAsBox(static_cast<float>(kLegHalfWidth / kScale),
                     static_cast<float>(kLegHalfHeight / kScale));
  b2FixtureDef leg_fixture;
  leg_fixture.shape = &leg_shape;
  leg_fixture.density = kLegDensity;
  leg_fixture.restitution = 0;
  leg_fixture.filter.categoryBits = kLegCategory;
  leg_fixture.filter.maskBits = kGroundCategory;
  // Gymnasium's side factor -1 puts leg 0 on the +x side: its hinge lies
  // kLegAway to its left.
  for (int leg = 0; leg < 2; ++leg) {
    const double side = leg == 0 ? -1 : 1;
    body.position = vec(start_x - side * kLegAway / kScale, start_y);
    body.angle = static_cast<float>(side * kLegInitialAngle);
    legs_[leg] = world_.CreateBody(&body);
    legs_[leg]->CreateFixture(&leg_fixture);

    b2RevoluteJointDef joint;
    joint.bodyA = hull_;
    joint.bodyB = legs_[leg];
    joint.localAnchorA = vec(0, 0);
    joint.localAnchorB = vec(side * kLegAway / kScale, kLegDown / kScale);
    joint.enableMotor = true;
    joint.enableLimit = true;
    joint.maxMotorTorque = kLegSpringTorque;
    joint.motorSpeed = static_cast<float>(side * kLegMotorSpeed);
    // The motor turns the leg towards extended, the ground towards folded.
    const double folded = -side * kLegFoldedAngle;
    const double extended = folded + side * kLegTravel;
    joint.lowerAngle = static_cast<float>(std::min(folded, extended));
    joint.upperAngle = static_cast<float>(std::max(folded, extended));
    world_.CreateJoint(&joint);
  }
  contacts_.hull = hull_;
  contacts_.legs = {legs_[0], legs_[1]};
}

void LanderWorld::apply_wind(const LanderParams& params) {
  if (!params.enable_wind || contacts_.leg_contact[0] || contacts_.leg_contact[1]) return;
  hull_->ApplyForceToCenter(vec(wind_profile(wind_index_) * params.wind_power, 0), true);
  hull_->ApplyTorque(static_cast<float>(wind_profile(torque_index_) * params.turbulence_power),
                     true);
  ++wind_index_;
  ++torque_index_;
}

void LanderWorld::fire_engines(const EngineCommand& command, const LanderParams& params, Rng& rng) {
  // tip: the hull's downward axis negated; side: across it. The nozzle
  // positions scatter by up to a pixel each step, engines firing or not.
  const double angle = hull_->GetAngle();
  const double tip_x = std::sin(angle), tip_y = std::cos(angle);
  const double side_x = -tip_y, side_y = tip_x;
  const double along = rng.uniform(-1, 1) / kScale;
  const double across = rng.uniform(-1, 1) / kScale;
  const b2Vec2 centre = hull_->GetPosition();

  if (command.main_power > 0) {
    const double down = kMainEngineOffset / kScale + 2 * along;
    const double ox = tip_x * down + side_x * across;
    const double oy = -tip_y * down - side_y * across;
    const double impulse = params.main_engine_power * command.main_power;
    hull_->ApplyLinearImpulse(vec(-ox * impulse, -oy * impulse), vec(centre.x + ox, centre.y + oy),
                              true);
  }
  if (command.side_power > 0) {
    const double out = 3 * across + command.side_direction * kSideEngineAway / kScale;
    const double ox = tip_x * along + side_x * out;
    const double oy = -tip_y * along - side_y * out;
    const double impulse = params.side_engine_power * command.side_power;
    hull_->ApplyLinearImpulse(vec(-ox * impulse, -oy * impulse),
                              vec(centre.x + ox - tip_x * kSideEngineAxisOffset / kScale,
                                  centre.y + oy + tip_y * kSideEngineHeight / kScale),
                              true);
  }
}

void LanderWorld::step(const EngineCommand& command, const LanderParams& params, Rng& rng) {
  apply_wind(params);
  fire_engines(command, params, rng);
  step_physics();
}

void LanderWorld::step_physics() {
  world_.Step(static_cast<float>(1 / kFps), kVelocityIterations, kPositionIterations);
}

Observation LanderWorld::observe() const {
  const b2Vec2 position = hull_->GetPosition();
  const b2Vec2 velocity = hull_->GetLinearVelocity();
  constexpr double half_width = kWorldWidth / 2, half_height = kWorldHeight / 2;
  return {(position.x - half_width) / half_width,
          (position.y - (kHelipadY + kLegDown / kScale)) / half_height,
          velocity.x * half_width / kFps,
          velocity.y * half_height / kFps,
          hull_->GetAngle(),
          20.0 * hull_->GetAngularVelocity() / kFps,
          contacts_.leg_contact[0] ? 1.0 : 0.0,
          contacts_.leg_contact[1] ? 1.0 : 0.0};
}

LanderState LanderWorld::state() const {
  const b2Vec2 position = hull_->GetPosition();
  const b2Vec2 velocity = hull_->GetLinearVelocity();
  return {.x = position.x,
          .y = position.y,
          .vx = velocity.x,
          .vy = velocity.y,
          .angle = hull_->GetAngle(),
          .angular_velocity = hull_->GetAngularVelocity(),
          .leg_contact = contacts_.leg_contact};
}

void LanderWorld::set_state(const LanderState& state) {
  const b2Transform old_hull = hull_->GetTransform();
  const b2Transform new_hull(vec(state.x, state.y), b2Rot(static_cast<float>(state.angle)));
  const auto spin = static_cast<float>(state.angular_velocity);
  const b2Vec2 velocity = vec(state.vx, state.vy);
  for (b2Body* leg : legs_) {
    const b2Transform relative = b2MulT(old_hull, leg->GetTransform());
    const b2Transform placed = b2Mul(new_hull, relative);
    leg->SetTransform(placed.p, static_cast<float>(state.angle) + relative.q.GetAngle());
    leg->SetLinearVelocity(velocity + b2Cross(spin, placed.p - new_hull.p));
    leg->SetAngularVelocity(spin);
    leg->SetAwake(true);
  }
  hull_->SetTransform(new_hull.p, static_cast<float>(state.angle));
  hull_->SetLinearVelocity(velocity);
  hull_->SetAngularVelocity(spin);
  hull_->SetAwake(true);
  contacts_.hull_touched = false;
  contacts_.leg_contact = state.leg_contact;
}

}  // namespace twinrl::lander
