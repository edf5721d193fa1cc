#pragma once
// The drawer of each built-in env family (one file each in viewer/drawers/).
#include <memory>

#include "core/env.h"
#include "viewer/drawers/scene_drawer.h"

namespace twinrl::viewer {

std::unique_ptr<SceneDrawer> make_cartpole_drawer();
std::unique_ptr<SceneDrawer> make_warehouse_drawer();
std::unique_ptr<SceneDrawer> make_supply_chain_drawer();
std::unique_ptr<SceneDrawer> make_lander_drawer();
std::unique_ptr<SceneDrawer> make_amr_drawer();
// Renders the MuJoCo scene offscreen (OSMesa) with `model`, an Arm model.
std::unique_ptr<SceneDrawer> make_arm_drawer(std::shared_ptr<const EnvModel> model);

}  // namespace twinrl::viewer
