#pragma once
// The kernels' scratch space: vectors grown to the largest size asked for and
// never shrunk, so that calls after the first allocate nothing.
#include <cstdint>
#include <vector>

namespace twinrl {

template <class T>
void grow(std::vector<T>& buffer, int64_t size) {
  if (static_cast<int64_t>(buffer.size()) < size) buffer.resize(size);
}

}  // namespace twinrl
