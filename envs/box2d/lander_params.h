#pragma once
// The YAML parameters of the Lander env: Gymnasium LunarLander-v3's arguments
// (continuous, gravity, enable_wind, wind_power, turbulence_power) plus the
// real-valued physical constants a twin calibrates or randomizes.
#include "config/config_node.h"
#include "config/schema.h"

namespace twinrl::lander {

struct LanderParams {
  bool continuous = false;
  double gravity = -10.0;
  bool enable_wind = false;
  double wind_power = 15.0;
  double turbulence_power = 1.5;
  double main_engine_power = 13.0;
  double side_engine_power = 0.6;
  double initial_random_force = 1000.0;
  double hull_density = 5.0;
  int max_episode_steps = 1000;

  template <class Visitor>
  void visit(Visitor& v) {
    v("continuous", continuous,
      {.doc = "false: Discrete(4) (noop, left engine, main engine, right engine); true: Box(2) "
              "throttles in [-1, 1] (main, lateral)"});
    v("gravity", gravity,
      {.doc = "vertical acceleration (m/s^2), negative as in Gymnasium",
       .min = -12.0,
       .max = -0.01});
    v("enable_wind", enable_wind,
      {.doc = "push the lander with wind and turbulence while no leg touches the ground"});
    v("wind_power", wind_power,
      {.doc = "largest horizontal wind force (N); used with enable_wind", .min = 0.0, .max = 50.0});
    v("turbulence_power", turbulence_power,
      {.doc = "largest turbulence torque (N m); used with enable_wind", .min = 0.0, .max = 10.0});
    v("main_engine_power", main_engine_power,
      {.doc = "main engine impulse scale at full throttle", .min = 0.0, .max = 100.0});
    v("side_engine_power", side_engine_power,
      {.doc = "side engine impulse scale at full throttle", .min = 0.0, .max = 10.0});
    v("initial_random_force", initial_random_force,
      {.doc = "each component of the push at the start is uniform in +-this (N)",
       .min = 0.0,
       .max = 5000.0});
    v("hull_density", hull_density,
      {.doc = "density of the hull (kg/m^2); sets its mass", .min = 0.1, .max = 100.0});
    v("max_episode_steps", max_episode_steps,
      {.doc = "episodes are truncated after this many steps", .min = 1, .max = 100000});
  }

  // Checks the randomization ranges against the fields.
};

}  // namespace twinrl::lander
