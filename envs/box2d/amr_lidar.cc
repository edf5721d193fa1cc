#include "envs/box2d/amr_lidar.h"

#include <box2d/b2_fixture.h>
#include <box2d/b2_world_callbacks.h>

#include <cmath>
#include <numbers>

namespace twinrl::amr {
namespace {

// Keeps the nearest hit by clipping the ray at each one Box2D reports.
class NearestHit : public b2RayCastCallback {
 public:
  explicit NearestHit(const b2Body& ignored) : ignored_(ignored) {}
  float ReportFixture(b2Fixture* fixture, const b2Vec2&, const b2Vec2&, float fraction) override {
    if (fixture->GetBody() == &ignored_) return -1.0f;
    nearest_ = fraction;
    return fraction;
  }
  float nearest() const { return nearest_; }

 private:
  const b2Body& ignored_;
  float nearest_ = 1.0f;
};

}  // namespace

float lidar_ray_angle(const LidarGeometry& lidar, int ray, int rays) {
  const bool full_circle = lidar.fov_rad >= 2 * std::numbers::pi_v<float> - 1e-6f;
  if (rays == 1) return 0.0f;
  const float spacing = lidar.fov_rad / static_cast<float>(full_circle ? rays : rays - 1);
  return -0.5f * lidar.fov_rad + spacing * static_cast<float>(ray);
}

void scan_lidar(const b2World& world, const b2Body& robot, const LidarGeometry& lidar,
                std::span<float> ranges) {
  const b2Vec2 origin = robot.GetPosition();
  const float heading = robot.GetAngle();
  const int rays = static_cast<int>(ranges.size());
  for (int ray = 0; ray < rays; ++ray) {
    const float angle = heading + lidar_ray_angle(lidar, ray, rays);
    const b2Vec2 end = origin + lidar.range_m * b2Vec2(std::cos(angle), std::sin(angle));
    NearestHit hit(robot);
    world.RayCast(&hit, origin, end);
    ranges[ray] = hit.nearest();
  }
}

}  // namespace twinrl::amr
