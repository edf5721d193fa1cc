#include "agents/joint_observation.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace twinrl {

void gather_joint_observations(const float* observations, int64_t observation_size, int64_t agents,
                               const int64_t* index, int64_t size, float* out) {
  for (int64_t i = 0; i < size; ++i) {
    const int64_t row = index ? index[i] : i;
    for (int64_t k = 0; k < agents; ++k) {
      const float* part = observations + joint_part_row(row, k, agents) * observation_size;
      std::copy(part, part + observation_size, out + (i * agents + k) * observation_size);
    }
  }
}

torch::Tensor joint_observations(const torch::Tensor& observations, int64_t agents) {
  const int64_t rows = observations.size(0);
  if (rows % agents != 0)
    throw std::logic_error("joint observations of " + std::to_string(rows) +
                           " rows, not whole envs of " + std::to_string(agents) + " agents");
  const torch::Tensor parts = torch::empty({rows * agents}, torch::kInt64);
  int64_t* part = parts.data_ptr<int64_t>();
  for (int64_t row = 0; row < rows; ++row)
    for (int64_t k = 0; k < agents; ++k) part[row * agents + k] = joint_part_row(row, k, agents);
  return observations.index_select(0, parts).reshape({rows, agents * observations.size(1)});
}

}  // namespace twinrl
