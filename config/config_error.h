#pragma once

#include <stdexcept>

namespace twinrl {

// A problem in a config file or a --set override. The message is complete and user-facing:
// "<file>:<line>:<col>: <dotted.key>: <what is wrong>".
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace twinrl
