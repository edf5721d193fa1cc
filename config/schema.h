#pragma once

// The one way a config struct declares its fields: a `visit` member template that calls the
// visitor once per field. The same declaration drives reading (with validation), writing the
// resolved config and the reference documentation.
//
//   struct CartPoleParams {
//     double gravity = 9.8;
//     std::string kind = "euler";
//     template <class Visitor> void visit(Visitor& v) {
//       v("gravity", gravity, {.doc = "downward acceleration (m/s^2)", .min = 0.0});
//       v("kind", kind, {.doc = "integrator", .choices = {"euler", "semi_implicit"}});
//     }
//     void validate(const ConfigNode& node) const;  // optional cross-field checks
//   };
//
// Field types: bool, int, int64_t, uint64_t, float, double, std::string, std::vector of double,
// float, int or std::string, nested structs with a `visit` member (a nested mapping), and
// ConfigNode (the sub-tree is kept unvalidated for a later reader; absent by default).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "config/config_node.h"

namespace twinrl {

struct FieldSpec {
  std::string_view doc = {};
  // Inclusive bounds on numbers; for lists they apply to every element.
  std::optional<double> min = std::nullopt;
  std::optional<double> max = std::nullopt;
  // The allowed values of a string (or of each string of a list); empty allows any.
  std::vector<std::string_view> choices = {};
  // Real numbers are finite unless this allows .inf and -.inf (NaN never is):
  // an infinite mass or demand would overflow an env rather than mean anything.
  bool infinite = false;
};

// One field as the documentation shows it.
struct FieldInfo {
  std::string key;  // dotted for nested structs: "env.num_envs"
  std::string type;
  std::string default_value;  // as YAML: 8, "CartPole", [0.5, 1]
  std::string doc;
  std::optional<double> min = std::nullopt;
  std::optional<double> max = std::nullopt;
  std::vector<std::string> choices = {};
};

namespace schema_detail {

struct KeyCollector {
  std::vector<std::string> keys;
  template <class Field>
  void operator()(std::string_view key, Field&, const FieldSpec& = {}) {
    keys.emplace_back(key);
  }
};

}  // namespace schema_detail

template <class T>
concept ConfigStruct = requires(T& object, schema_detail::KeyCollector& visitor) {
  object.visit(visitor);
};

// Reads `node` into `object`. The node must be a mapping, null or absent (null and absent keep
// every default); unknown keys, wrong types and values out of bounds or choices throw
// ConfigError. Calls `object.validate(node)` last if T declares it.
template <ConfigStruct T>
void read_fields(const ConfigNode& node, T& object);

// The fully resolved mapping, every field included (for a run's config.yaml).
template <ConfigStruct T>
YAML::Node write_fields(const T& object);

// Every field of a default-constructed T, nested structs flattened to "a.b".
template <ConfigStruct T>
std::vector<FieldInfo> describe_fields();

// A Markdown table (key | type | default | range/choices | description).
std::string format_field_table(const std::vector<FieldInfo>& fields);

namespace schema_detail {

// Non-template halves of the visitors, defined in schema.cc. Readers get a defined node.
void read_value(const ConfigNode& node, bool& value, const FieldSpec& spec);
void read_value(const ConfigNode& node, int& value, const FieldSpec& spec);
void read_value(const ConfigNode& node, std::int64_t& value, const FieldSpec& spec);
void read_value(const ConfigNode& node, std::uint64_t& value, const FieldSpec& spec);
void read_value(const ConfigNode& node, float& value, const FieldSpec& spec);
void read_value(const ConfigNode& node, double& value, const FieldSpec& spec);
void read_value(const ConfigNode& node, std::string& value, const FieldSpec& spec);
void read_value(const ConfigNode& node, std::vector<double>& value, const FieldSpec& spec);
void read_value(const ConfigNode& node, std::vector<float>& value, const FieldSpec& spec);
void read_value(const ConfigNode& node, std::vector<int>& value, const FieldSpec& spec);
void read_value(const ConfigNode& node, std::vector<std::string>& value, const FieldSpec& spec);

YAML::Node write_value(bool value);
YAML::Node write_value(int value);
YAML::Node write_value(std::int64_t value);
YAML::Node write_value(std::uint64_t value);
YAML::Node write_value(float value);
YAML::Node write_value(double value);
YAML::Node write_value(const std::string& value);
YAML::Node write_value(const std::vector<double>& value);
YAML::Node write_value(const std::vector<float>& value);
YAML::Node write_value(const std::vector<int>& value);
YAML::Node write_value(const std::vector<std::string>& value);
YAML::Node write_value(const ConfigNode& value);

// Fill in `info.type` and `info.default_value`.
void describe_value(bool value, FieldInfo& info);
void describe_value(int value, FieldInfo& info);
void describe_value(std::int64_t value, FieldInfo& info);
void describe_value(std::uint64_t value, FieldInfo& info);
void describe_value(float value, FieldInfo& info);
void describe_value(double value, FieldInfo& info);
void describe_value(const std::string& value, FieldInfo& info);
void describe_value(const std::vector<double>& value, FieldInfo& info);
void describe_value(const std::vector<float>& value, FieldInfo& info);
void describe_value(const std::vector<int>& value, FieldInfo& info);
void describe_value(const std::vector<std::string>& value, FieldInfo& info);
void describe_value(const ConfigNode& value, FieldInfo& info);

// Fails unless `node` is absent, null or a mapping whose keys are all in `known_keys`.
void check_keys(const ConfigNode& node, const std::vector<std::string>& known_keys);

struct FieldReader {
  const ConfigNode& node;
  template <class Field>
  void operator()(std::string_view key, Field& field, const FieldSpec& spec = {}) {
    ConfigNode child = node.child(key);
    if constexpr (ConfigStruct<Field>) {
      read_fields(child, field);  // also when absent, so nested ConfigNode fields get their path
    } else if constexpr (std::is_same_v<Field, ConfigNode>) {
      field = std::move(child);
    } else if (child.defined()) {
      read_value(child, field, spec);
    }
  }
};

struct FieldWriter {
  YAML::Node mapping{YAML::NodeType::Map};
  template <class Field>
  void operator()(std::string_view key, Field& field, const FieldSpec& = {}) {
    if constexpr (ConfigStruct<Field>) {
      mapping[std::string(key)] = write_fields(field);
    } else {
      mapping[std::string(key)] = write_value(field);
    }
  }
};

struct FieldDescriber {
  std::string prefix;
  std::vector<FieldInfo> fields;
  template <class Field>
  void operator()(std::string_view key, Field& field, const FieldSpec& spec = {}) {
    std::string full_key = prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
    if constexpr (ConfigStruct<Field>) {
      FieldDescriber nested{.prefix = std::move(full_key), .fields = {}};
      field.visit(nested);
      fields.insert(fields.end(), nested.fields.begin(), nested.fields.end());
    } else {
      FieldInfo info{.key = std::move(full_key),
                     .type = {},
                     .default_value = {},
                     .doc = std::string(spec.doc),
                     .min = spec.min,
                     .max = spec.max,
                     .choices = {spec.choices.begin(), spec.choices.end()}};
      describe_value(field, info);
      fields.push_back(std::move(info));
    }
  }
};

}  // namespace schema_detail

template <ConfigStruct T>
void read_fields(const ConfigNode& node, T& object) {
  schema_detail::KeyCollector collector;
  object.visit(collector);
  schema_detail::check_keys(node, collector.keys);
  schema_detail::FieldReader reader{node};
  object.visit(reader);
  if constexpr (requires { object.validate(node); }) object.validate(node);
}

template <ConfigStruct T>
YAML::Node write_fields(const T& object) {
  T copy = object;  // visit() is non-const so that one declaration serves reading too
  schema_detail::FieldWriter writer;
  copy.visit(writer);
  return writer.mapping;
}

template <ConfigStruct T>
std::vector<FieldInfo> describe_fields() {
  T defaults{};
  schema_detail::FieldDescriber describer;
  defaults.visit(describer);
  return std::move(describer.fields);
}

}  // namespace twinrl
