#pragma once
// What a checkpoint was trained on: the env family and the algorithm. The
// shape checks of load_module_checked catch a config.yaml edited to another
// network or to an env with other observations; an edit to another env whose
// observations and actions happen to have the same shapes would pass them and
// load weights that mean nothing there.
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include "agents/experiment.h"

namespace twinrl {

void write_checkpoint_origin(torch::serialize::OutputArchive& archive,
                             const Experiment& experiment);

// Throws std::invalid_argument saying what the checkpoint was trained on and
// what the config asks for, if they differ. Checkpoints written before the
// origin was recorded carry none and pass.
void check_checkpoint_origin(torch::serialize::InputArchive& archive, const Experiment& experiment);

}  // namespace twinrl
