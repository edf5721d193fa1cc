#pragma once
// A planar lidar: rays cast from the robot's centre over a field of view
// centred on its heading, each reporting the nearest body it meets.
#include <box2d/b2_body.h>
#include <box2d/b2_world.h>

#include <span>

namespace twinrl::amr {

struct LidarGeometry {
  float fov_rad;  // the rays spread evenly over it; at 2 pi none doubles another
  float range_m;  // from the robot's centre
};

// The angle of ray `ray` of `rays` from the heading (rad), growing from -fov/2.
float lidar_ray_angle(const LidarGeometry& lidar, int ray, int rays);

// Writes each ray's distance to the nearest body over lidar.range_m (1 when
// nothing is in range) into `ranges`, one per ray. The robot does not see itself.
void scan_lidar(const b2World& world, const b2Body& robot, const LidarGeometry& lidar,
                std::span<float> ranges);

}  // namespace twinrl::amr
