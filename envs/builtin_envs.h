#pragma once
#include "core/env_registry.h"

namespace twinrl {

// A registry holding every environment that ships with twinrl.
EnvRegistry builtin_envs();

}  // namespace twinrl
