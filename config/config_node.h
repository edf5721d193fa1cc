#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_error.h"

namespace twinrl {

// Where a config tree came from, so that every value can be traced back to what the user typed:
// the file name and the --set overrides applied on top of it, in order.
struct ConfigOrigin {
  struct Override {
    std::string key_path;  // "env.num_envs"
    std::string text;      // as typed: "env.num_envs=16"
  };
  std::string source_name;
  std::vector<Override> overrides;
  std::string override_flag = "--set";  // how messages name the overrides' option
};

// One node of a loaded config: the YAML value, its dotted key path ("" at the root,
// "env.params.gravity", "env.params.goals[2]") and its origin, so that any error about it can
// name the file, line, column and key. Copies are cheap and share the (read-only) tree.
class ConfigNode {
 public:
  // An absent node with no origin: the default of a ConfigNode field before it is read.
  ConfigNode();
  ConfigNode(const ConfigNode&) = default;
  ConfigNode(ConfigNode&&) = default;
  // Assignment rebinds this node to the other's value. (YAML::Node's own
  // assignment would overwrite the value in the shared tree instead: assigning
  // to a copy of env.params would change every other copy of it.)
  ConfigNode& operator=(const ConfigNode& other);
  ConfigNode& operator=(ConfigNode&& other);

  const YAML::Node& yaml() const { return yaml_; }
  const std::string& key_path() const { return key_path_; }
  // Present and not null (absent keys and `key:` / `key: ~` both mean "use the default").
  bool defined() const;

  // "file:line:col" (1-based), "--set a.b=v" for values from an override, or the nearest
  // enclosing node's location for nodes that have no position of their own.
  std::string location() const;
  // The file this node was read from ("" if none): relative paths in a config (a CSV of demand
  // history) are relative to it.
  const std::string& source_name() const;
  // Throws ConfigError "<location>: <key_path>: <message>" ("<location>: <message>" at the root).
  [[noreturn]] void fail(std::string_view message) const;
  // Like fail(), but located at `key` inside this mapping: for errors about the key itself.
  [[noreturn]] void fail_at_key(std::string_view key, std::string_view message) const;

  // The value under `key` in this mapping; an absent node if there is none or this is no mapping.
  ConfigNode child(std::string_view key) const;
  // The element at `index` of this sequence; an absent node if there is none.
  ConfigNode element(std::size_t index) const;
  // The keys of this mapping in file order; empty if this is no mapping.
  std::vector<std::string> keys() const;
  // For "expected X, got Y" messages: "'text'", "a mapping", "a sequence", "null" or "nothing".
  std::string describe() const;

 private:
  friend ConfigNode parse_config_text(std::string_view yaml_text, const std::string& source_name,
                                      const std::vector<std::string>& overrides,
                                      const std::string& override_flag);

  ConfigNode(YAML::Node yaml, std::string key_path, std::shared_ptr<const ConfigOrigin> origin,
             std::string enclosing_location);
  std::string location_of(const std::string& key_path, const YAML::Mark& mark) const;
  [[noreturn]] void fail_at(const std::string& location, std::string_view message) const;

  YAML::Node yaml_;
  std::string key_path_;
  std::shared_ptr<const ConfigOrigin> origin_;
  std::string enclosing_location_;  // where to point when this node has no position of its own
};

// Reads a YAML config file and applies `overrides` ("a.b.c=value", the value parsed as YAML;
// missing mappings on the way are created). Throws ConfigError for unreadable files, YAML syntax
// errors, duplicate or non-string keys, recursive aliases, several documents and bad overrides.
ConfigNode load_config_file(const std::string& path,
                            const std::vector<std::string>& overrides = {});
// The same for YAML text; `source_name` stands for the file name in messages,
// `override_flag` for the option that gave the overrides ("--param").
ConfigNode parse_config_text(std::string_view yaml_text, const std::string& source_name,
                             const std::vector<std::string>& overrides = {},
                             const std::string& override_flag = "--set");

}  // namespace twinrl
