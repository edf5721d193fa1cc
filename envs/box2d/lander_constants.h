#pragma once
// The fixed rules of Gymnasium's LunarLander-v3 (designed by Oleg Klimov):
// geometry in pixels of its 600x400 viewport at kScale pixels per metre,
// timing, observation scaling and reward weights.
#include <array>

namespace twinrl::lander {

inline constexpr double kFps = 50;    // control and physics steps per second
inline constexpr double kScale = 30;  // pixels per metre
inline constexpr int kVelocityIterations = 6 * 30;
inline constexpr int kPositionIterations = 2 * 30;

inline constexpr double kWorldWidth = 600 / kScale;   // metres
inline constexpr double kWorldHeight = 400 / kScale;  // metres; the lander starts at the top

// The ground: kTerrainChunks points spread over the width, random heights
// smoothed over neighbours; the pad spans the two chunks around the middle.
inline constexpr int kTerrainChunks = 11;
inline constexpr double kHelipadY = kWorldHeight / 4;
inline constexpr double kChunkWidth = kWorldWidth / (kTerrainChunks - 1);
inline constexpr double kHelipadLeft = kChunkWidth * (kTerrainChunks / 2 - 1);   // 8 m
inline constexpr double kHelipadRight = kChunkWidth * (kTerrainChunks / 2 + 1);  // 12 m
inline constexpr double kGroundFriction = 0.1;

// The hull (pixels, counter-clockwise) and its material.
inline constexpr std::array<std::array<double, 2>, 6> kHullPixels = {
    {{-14, 17}, {-17, 0}, {-17, -10}, {17, -10}, {17, 0}, {14, 17}}};
inline constexpr double kHullFriction = 0.1;

// The legs: boxes hinged at the hull's centre, held extended by a motor whose
// limited torque acts as a spring; the ground can fold them up by kLegTravel.
inline constexpr double kLegAway = 20;  // pixels
inline constexpr double kLegDown = 18;  // pixels
inline constexpr double kLegHalfWidth = 2;
inline constexpr double kLegHalfHeight = 8;
inline constexpr double kLegDensity = 1.0;
inline constexpr double kLegInitialAngle = 0.05;  // radians, outwards
inline constexpr double kLegSpringTorque = 40;
inline constexpr double kLegMotorSpeed = 0.3;
inline constexpr double kLegFoldedAngle = 0.9;  // joint angle (radians)
inline constexpr double kLegTravel = 0.5;       // radians from extended to folded

// Collision filtering: the hull and legs touch only the ground.
inline constexpr unsigned kGroundCategory = 0x0001;
inline constexpr unsigned kHullCategory = 0x0010;
inline constexpr unsigned kLegCategory = 0x0020;

// The engines (pixels). The main engine fires from below the centre; the side
// engines from kSideEngineAway to either side, offset along the hull's axis by
// kSideEngineHeight in y but kSideEngineAxisOffset in x, as Gymnasium does (a
// quirk it documents: the side engines' torque depends on the tilt).
inline constexpr double kMainEngineOffset = 4;
inline constexpr double kSideEngineAway = 12;
inline constexpr double kSideEngineHeight = 14;
inline constexpr double kSideEngineAxisOffset = 17;
// Continuous throttles: the main engine fires above 0, a side engine beyond
// +-0.5; both run from half to full power.
inline constexpr double kMainThrottleThreshold = 0.0;
inline constexpr double kSideThrottleThreshold = 0.5;

// Wind: tanh(sin(2 k t) + sin(pi k t)) with k = 0.01, t an integer counter
// that starts uniform in [-9999, 9999) and advances each step.
inline constexpr double kWindFrequency = 0.01;
inline constexpr int kWindIndexRange = 9999;

// Reward: the change of a shaping potential, fuel costs and the end bonus.
inline constexpr double kDistanceWeight = 100;
inline constexpr double kSpeedWeight = 100;
inline constexpr double kAngleWeight = 100;
inline constexpr double kLegContactBonus = 10;
inline constexpr double kMainEngineCost = 0.3;  // per step at full throttle
inline constexpr double kSideEngineCost = 0.03;
inline constexpr double kEndBonus = 100;  // -100 on a crash, +100 at rest

}  // namespace twinrl::lander
