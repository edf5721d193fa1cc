#include "core/parameters.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "config/closest_match.h"

namespace twinrl {
std::string format_parameter_value(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", value);
  return text;
}

double NumberRef::get() const {
  switch (type_) {
    case Type::kDouble:
      return *static_cast<const double*>(address_);
    case Type::kFloat:
      return *static_cast<const float*>(address_);
    case Type::kInt:
      return *static_cast<const int*>(address_);
    case Type::kInt64:
      return static_cast<double>(*static_cast<const int64_t*>(address_));
    case Type::kUint64:
      return static_cast<double>(*static_cast<const uint64_t*>(address_));
  }
  return 0;
}

void NumberRef::set(double value) const {
  switch (type_) {
    case Type::kDouble:
      *static_cast<double*>(address_) = value;
      return;
    case Type::kFloat:
      *static_cast<float*>(address_) = static_cast<float>(value);
      return;
    case Type::kInt:
      *static_cast<int*>(address_) = static_cast<int>(std::lround(value));
      return;
    case Type::kInt64:
      *static_cast<int64_t*>(address_) = std::llround(value);
      return;
    case Type::kUint64:
      *static_cast<uint64_t*>(address_) = static_cast<uint64_t>(std::llround(value));
      return;
  }
}

bool NumberRef::fits(double value) const {
  switch (type_) {
    case Type::kDouble:
      return true;
    case Type::kFloat:
      return std::abs(value) <= std::numeric_limits<float>::max();
    case Type::kInt:
      return value >= std::numeric_limits<int>::min() && value <= std::numeric_limits<int>::max();
    case Type::kInt64:
      return std::abs(value) < 0x1p63;
    case Type::kUint64:
      return value >= 0 && value < 0x1p64;
  }
  return false;
}

size_t NumberRef::size() const {
  switch (type_) {
    case Type::kFloat:
    case Type::kInt:
      return 4;
    case Type::kDouble:
    case Type::kInt64:
    case Type::kUint64:
      return 8;
  }
  return 0;
}

std::string_view NumberRef::bytes() const {
  return {static_cast<const char*>(address_), size()};
}

void NumberRef::set_bytes(std::string_view bytes) const {
  if (bytes.size() != size()) throw std::invalid_argument("parameter: wrong number of bytes");
  std::memcpy(address_, bytes.data(), bytes.size());
}

std::optional<size_t> ParameterTable::find(std::string_view name) const {
  const auto it = std::ranges::find(infos_, name, &ParameterInfo::name);
  if (it == infos_.end()) return std::nullopt;
  return static_cast<size_t>(it - infos_.begin());
}

size_t ParameterTable::index_of(std::string_view name) const {
  if (const auto index = find(name)) return *index;
  std::string message = "unknown parameter '" + std::string(name) + "'";
  // An element past the end of a list: say how long the list is.
  if (const size_t bracket = name.find('['); bracket != std::string_view::npos) {
    const std::string list(name.substr(0, bracket));
    int64_t elements = 0;
    while (find(list + "[" + std::to_string(elements) + "]")) ++elements;
    if (elements > 0)
      throw ParameterError(message + ": " + list + " has " + std::to_string(elements) +
                           " elements, [0] to [" + std::to_string(elements - 1) + "]");
  }
  std::vector<std::string> names;
  for (const ParameterInfo& info : infos_) names.push_back(info.name);
  if (const auto close = closest_match(std::string(name), names))
    message += "; did you mean '" + *close + "'?";
  else
    message += " (`twinrl envs` lists the parameters)";
  throw ParameterError(message);
}

void ParameterTable::check(size_t index, double value) const {
  const ParameterInfo& parameter = info(index);
  const auto fail = [&](const std::string& what) {
    throw ParameterError(parameter.name + ": " + format_parameter_value(value) + " " + what);
  };
  if (!std::isfinite(value)) fail("is not a finite number");
  if (!parameter.real && value != std::round(value)) fail("is not a whole number");
  if (!values_.at(index).fits(value)) fail("does not fit the parameter's type");
  if (parameter.min && value < *parameter.min)
    fail("is below the minimum " + format_parameter_value(*parameter.min));
  if (parameter.max && value > *parameter.max)
    fail("is above the maximum " + format_parameter_value(*parameter.max));
}

}  // namespace twinrl
