#pragma once
// Parameters by name. Every number among an env's parameters (the struct its
// schema `visit`s) has a dotted name: "gravity", "demand.mean",
// "stages.lead_time[1]" for an element of a list. Through these names a model
// is rebuilt with some parameters overridden, domain randomization draws
// real-valued parameters per episode, the twin layer calibrates parameters and
// what-if scenarios override them, all with no code in the env.
//
// Numbers are the schema's number fields (int, int64_t, uint64_t, float,
// double) and the elements of its number lists; strings, flags and nested
// ConfigNode trees are not parameters by name. The order is `visit` order,
// the same for every copy of one struct (lists keep their lengths).
#include <concepts>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "config/schema.h"

namespace twinrl {

// A parameter name that does not exist, or a value a parameter cannot take.
// The message names the parameter and, for unknown names, the closest one.
class ParameterError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// One number inside a parameter struct, whatever its type.
class NumberRef {
 public:
  template <class T>
  requires std::is_arithmetic_v<T> &&(!std::is_same_v<T, bool>)explicit NumberRef(T& number)
      : address_(&number), type_(type_of<T>()) {}

  double get() const;
  // Converts to the number's type (integers are rounded to the nearest).
  void set(double value) const;
  bool is_real() const { return type_ == Type::kDouble || type_ == Type::kFloat; }
  // Whether `value` is within the range of the number's type.
  bool fits(double value) const;
  // The number's bytes, exactly (for checkpoints).
  std::string_view bytes() const;
  void set_bytes(std::string_view bytes) const;

 private:
  enum class Type : uint8_t { kDouble, kFloat, kInt, kInt64, kUint64 };
  template <class T>
  static constexpr Type type_of() {
    if constexpr (std::is_same_v<T, double>) return Type::kDouble;
    if constexpr (std::is_same_v<T, float>) return Type::kFloat;
    if constexpr (std::is_same_v<T, int>) return Type::kInt;
    if constexpr (std::is_same_v<T, int64_t>) return Type::kInt64;
    if constexpr (std::is_same_v<T, uint64_t>) return Type::kUint64;
  }
  size_t size() const;

  void* address_;
  Type type_;
};

struct ParameterInfo {
  std::string name;   // "stages.lead_time[1]"
  bool real = false;  // float or double: may be drawn per episode
  std::optional<double> min = std::nullopt;
  std::optional<double> max = std::nullopt;
  std::string doc;
};

// A parameter value as people read it: "0.05", "21", "1e+06".
std::string format_parameter_value(double value);

// A parameter by name and a value for it.
struct ParameterValue {
  std::string name;
  double value = 0;
};

namespace parameter_detail {

template <class T>
concept Number = std::is_arithmetic_v<T> && !std::is_same_v<T, bool>;

// std::vector of numbers (not a string).
template <class T>
concept NumberList = !std::is_same_v<T, std::string> && requires(T list) {
  { list[0] } -> std::same_as<typename T::value_type&>;
  list.size();
}
&&Number<typename T::value_type>;

// Calls `on_number(name, NumberRef, spec)` for every number of a struct.
template <class OnNumber>
struct NumberWalker {
  std::string prefix;
  OnNumber& on_number;

  template <class Field>
  void operator()(std::string_view key, Field& field, const FieldSpec& spec = {}) {
    std::string name = prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
    if constexpr (ConfigStruct<Field>) {
      NumberWalker nested{std::move(name), on_number};
      field.visit(nested);
    } else if constexpr (Number<Field>) {
      on_number(name, NumberRef(field), spec);
    } else if constexpr (NumberList<Field>) {
      for (size_t i = 0; i < field.size(); ++i)
        on_number(name + "[" + std::to_string(i) + "]", NumberRef(field[i]), spec);
    }
  }
};

template <ConfigStruct Params, class OnNumber>
void for_each_number(Params& params, OnNumber&& on_number) {
  NumberWalker<std::remove_reference_t<OnNumber>> walker{{}, on_number};
  params.visit(walker);
}

}  // namespace parameter_detail

// Every number of `params`, in visit order; the refs point into `params`.
template <ConfigStruct Params>
std::vector<NumberRef> number_refs(Params& params) {
  std::vector<NumberRef> refs;
  parameter_detail::for_each_number(
      params, [&](const std::string&, NumberRef ref, const FieldSpec&) { refs.push_back(ref); });
  return refs;
}

// A model's parameters: every number's name, bounds and value in the model.
// It reads the values through refs into the model's own parameter struct.
class ParameterTable {
 public:
  ParameterTable() = default;
  // `params` must outlive the table and keep its lists' lengths.
  template <ConfigStruct Params>
  explicit ParameterTable(const Params& params) {
    // visit() is non-const so that one declaration serves reading too; the
    // table only reads through these refs.
    auto& visited = const_cast<Params&>(params);
    parameter_detail::for_each_number(
        visited, [&](const std::string& name, NumberRef ref, const FieldSpec& spec) {
          infos_.push_back({.name = name,
                            .real = ref.is_real(),
                            .min = spec.min,
                            .max = spec.max,
                            .doc = std::string(spec.doc)});
          values_.push_back(ref);
        });
  }

  size_t size() const { return infos_.size(); }
  const std::vector<ParameterInfo>& infos() const { return infos_; }
  const ParameterInfo& info(size_t index) const { return infos_.at(index); }
  // The index of `name`, or nullopt.
  std::optional<size_t> find(std::string_view name) const;
  // The index of `name`; a ParameterError that suggests the closest name otherwise.
  size_t index_of(std::string_view name) const;
  // The value in the model.
  double value(size_t index) const { return values_.at(index).get(); }
  double value(std::string_view name) const { return value(index_of(name)); }
  // Throws ParameterError unless parameter `index` can take `value`: finite,
  // within its bounds, and a whole number for integer parameters.
  void check(size_t index, double value) const;

 private:
  std::vector<ParameterInfo> infos_;
  std::vector<NumberRef> values_;
};

// Sets each named number of `params` to its value, checked as by
// ParameterTable::check; a ParameterError names the first bad one.
template <ConfigStruct Params>
void set_parameters(Params& params, const std::vector<ParameterValue>& values) {
  if (values.empty()) return;
  const ParameterTable table(params);
  std::vector<NumberRef> refs = number_refs(params);
  for (const ParameterValue& value : values) {
    const size_t index = table.index_of(value.name);
    table.check(index, value.value);
    refs[index].set(value.value);
  }
}

}  // namespace twinrl
