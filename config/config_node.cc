#include "config/config_node.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <functional>
#include <optional>
#include <set>
#include <sstream>
#include <system_error>
#include <utility>

#include <yaml-cpp/eventhandler.h>

#include "config/trim.h"

namespace twinrl {
namespace {

std::string join_key(std::string_view prefix, std::string_view key) {
  std::string joined(prefix);
  if (!joined.empty()) joined += '.';
  joined += key;
  return joined;
}

// True if the value at `key_path` lies at or below `prefix` ("env" covers "env.threads").
bool path_covers(std::string_view prefix, std::string_view key_path) {
  if (!key_path.starts_with(prefix)) return false;
  return key_path.size() == prefix.size() || key_path[prefix.size()] == '.' ||
         key_path[prefix.size()] == '[';
}

std::string with_key_path(std::string_view location, std::string_view key_path,
                          std::string_view message) {
  std::string text(location);
  text += ": ";
  if (!key_path.empty()) {
    text += key_path;
    text += ": ";
  }
  text += message;
  return text;
}

std::string file_location(const std::string& source_name, const YAML::Mark& mark) {
  if (mark.is_null()) return source_name;
  return source_name + ':' + std::to_string(mark.line + 1) + ':' + std::to_string(mark.column + 1);
}

using Locator = std::function<std::string(const YAML::Mark&)>;

// Checks what yaml-cpp's node builder lets through silently: duplicate keys (it keeps both and
// lookups see the first), non-string keys, aliases to an enclosing node (a cycle that would make
// any walk of the tree loop forever) and further documents (it ignores them). Works on parser
// events, so a document full of aliases is checked without expanding them.
class StructureChecker : public YAML::EventHandler {
 public:
  StructureChecker(Locator locate, std::string root_path)
      : locate_(std::move(locate)), root_path_(std::move(root_path)) {}

  const std::optional<std::string>& first_problem() const { return first_problem_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) {
      if (mark.pos == last_document_start_.pos) {
        // yaml-cpp is stuck on a stray token (such as a leading ','), yielding empty documents.
        report(mark, "", "YAML syntax error: unexpected text");
      } else {
        report(mark, root_path_, "expected one YAML document, found a second");
      }
    }
    last_document_start_ = mark;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { begin_node(mark, nullptr); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const std::string path = begin_node(mark, nullptr);
    for (const Collection& open : open_collections_) {
      if (open.anchor == anchor) report(mark, path, "alias refers to a node that contains it");
    }
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string& value) override {
    begin_node(mark, &value);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    begin_collection(mark, anchor, /*is_mapping=*/false);
  }
  void OnSequenceEnd() override { open_collections_.pop_back(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    begin_collection(mark, anchor, /*is_mapping=*/true);
  }
  void OnMapEnd() override { open_collections_.pop_back(); }

 private:
  struct Collection {
    bool is_mapping = false;
    std::string path;
    YAML::anchor_t anchor = YAML::NullAnchor;
    std::size_t next_index = 0;  // sequences: index of the next element
    bool expecting_key = true;   // mappings: the next node is a key, not a value
    std::string key = {};        // mappings: the key whose value comes next
    std::set<std::string> keys_seen = {};
  };

  // Accounts for a node starting at `mark` (`scalar` is its text if it is a scalar) and returns
  // its key path. Keys are checked here.
  std::string begin_node(const YAML::Mark& mark, const std::string* scalar) {
    if (open_collections_.empty()) return root_path_;
    Collection& parent = open_collections_.back();
    if (!parent.is_mapping) return parent.path + '[' + std::to_string(parent.next_index++) + ']';
    if (!parent.expecting_key) {
      parent.expecting_key = true;
      return join_key(parent.path, parent.key);
    }
    parent.expecting_key = false;
    if (scalar == nullptr) {
      report(mark, parent.path, "mapping keys must be plain strings");
      parent.key = "?";
    } else {
      if (!parent.keys_seen.insert(*scalar).second) {
        report(mark, parent.path, "duplicate key '" + *scalar + "'");
      }
      parent.key = *scalar;
    }
    return join_key(parent.path, parent.key);
  }

  void begin_collection(const YAML::Mark& mark, YAML::anchor_t anchor, bool is_mapping) {
    std::string path = begin_node(mark, nullptr);
    open_collections_.push_back(
        {.is_mapping = is_mapping, .path = std::move(path), .anchor = anchor});
  }

  // Keeps the first problem only: it is reported once the whole text has parsed, because a
  // syntax error further on (which the parser may first see as an odd key) explains more.
  void report(const YAML::Mark& mark, std::string_view path, std::string_view message) {
    if (!first_problem_) first_problem_ = with_key_path(locate_(mark), path, message);
  }

  Locator locate_;
  std::string root_path_;
  int documents_ = 0;
  YAML::Mark last_document_start_;
  std::vector<Collection> open_collections_;
  std::optional<std::string> first_problem_;
};

// Parses one YAML document (empty text gives a null node) whose root sits at `root_path`.
YAML::Node parse_yaml(std::string_view text, const Locator& locate, const std::string& root_path) {
  const std::string owned_text(text);
  try {
    std::istringstream stream(owned_text);
    YAML::Parser parser(stream);
    StructureChecker checker(locate, root_path);
    // Two documents at most: one to check, and one to learn that there is more than one (some
    // malformed text, such as a leading ',', makes yaml-cpp produce empty documents forever).
    for (int document = 0; document < 2 && parser.HandleNextDocument(checker); ++document) {
    }
    if (checker.first_problem()) throw ConfigError(*checker.first_problem());
    return YAML::Load(owned_text);
  } catch (const YAML::ParserException& error) {
    throw ConfigError(locate(error.mark) + ": YAML syntax error: " + error.msg);
  } catch (const YAML::Exception& error) {
    throw ConfigError(locate(error.mark) + ": YAML error: " + error.msg);
  }
}

// Applies one "a.b.c=value" override to `root` and records it in `origin`.
void apply_override(YAML::Node& root, const std::string& override_text, ConfigOrigin& origin) {
  const std::string location = origin.override_flag + " " + override_text;
  const auto fail = [&](const std::string& message) {
    throw ConfigError(location + ": " + message);
  };
  const std::size_t equals = override_text.find('=');
  if (equals == std::string::npos) fail("expected key=value, found no '='");
  const std::string key_path(trim(std::string_view(override_text).substr(0, equals)));
  if (key_path.empty()) fail("empty key before '='");
  std::vector<std::string> segments;
  for (std::size_t start = 0;;) {
    const std::size_t dot = key_path.find('.', start);
    segments.push_back(key_path.substr(start, dot - start));
    if (segments.back().empty()) fail("empty key segment in '" + key_path + "'");
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  const YAML::Node value = parse_yaml(
      std::string_view(override_text).substr(equals + 1),
      [&](const YAML::Mark&) { return location; }, key_path);

  if (!root.IsDefined() || root.IsNull()) root.reset(YAML::Node(YAML::NodeType::Map));
  YAML::Node mapping = root;
  std::string mapping_path;
  for (std::size_t i = 0;; ++i) {
    if (!mapping.IsMap()) {
      const std::string parent =
          mapping_path.empty() ? "the config root" : "'" + mapping_path + "'";
      fail("cannot set '" + key_path + "': " + parent + " is not a mapping");
    }
    if (i + 1 == segments.size()) break;
    // Non-const operator[] on a mapping returns the existing value or a new pending entry.
    YAML::Node next = mapping[segments[i]];
    if (!next.IsDefined() || next.IsNull()) next = YAML::Node(YAML::NodeType::Map);
    mapping.reset(next);
    mapping_path = join_key(mapping_path, segments[i]);
  }
  mapping[segments.back()] = value;
  origin.overrides.push_back({.key_path = key_path, .text = override_text});
}

std::string read_file(const std::string& path) {
  std::string text;
  int error = 0;
  if (std::FILE* file = std::fopen(path.c_str(), "rb")) {
    char buffer[1 << 14];
    std::size_t count = 0;
    while ((count = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, count);
    if (std::ferror(file)) error = errno;  // e.g. EISDIR: opening a directory succeeds
    std::fclose(file);
  } else {
    error = errno;
  }
  if (error != 0) {
    throw ConfigError("cannot read config file '" + path +
                      "': " + std::generic_category().message(error));
  }
  return text;
}

}  // namespace

ConfigNode::ConfigNode() : yaml_(YAML::NodeType::Undefined), enclosing_location_("<defaults>") {}

ConfigNode& ConfigNode::operator=(const ConfigNode& other) {
  if (this == &other) return *this;
  yaml_.reset(other.yaml_);
  key_path_ = other.key_path_;
  origin_ = other.origin_;
  enclosing_location_ = other.enclosing_location_;
  return *this;
}

ConfigNode& ConfigNode::operator=(ConfigNode&& other) {
  if (this == &other) return *this;
  yaml_.reset(other.yaml_);
  key_path_ = std::move(other.key_path_);
  origin_ = std::move(other.origin_);
  enclosing_location_ = std::move(other.enclosing_location_);
  return *this;
}

ConfigNode::ConfigNode(YAML::Node yaml, std::string key_path,
                       std::shared_ptr<const ConfigOrigin> origin, std::string enclosing_location)
    : yaml_(std::move(yaml)),
      key_path_(std::move(key_path)),
      origin_(std::move(origin)),
      enclosing_location_(std::move(enclosing_location)) {}

bool ConfigNode::defined() const {
  return yaml_.IsDefined() && !yaml_.IsNull();
}

std::string ConfigNode::location_of(const std::string& key_path, const YAML::Mark& mark) const {
  if (!origin_) return enclosing_location_;
  const std::vector<ConfigOrigin::Override>& overrides = origin_->overrides;
  // The last override covering the path wins: it replaced whatever was there before.
  for (auto it = overrides.rbegin(); it != overrides.rend(); ++it) {
    if (path_covers(it->key_path, key_path)) return origin_->override_flag + " " + it->text;
  }
  if (!mark.is_null()) return file_location(origin_->source_name, mark);
  // No position: a mapping that an override created on its way, or else an absent node.
  for (const ConfigOrigin::Override& override_entry : overrides) {
    if (path_covers(key_path, override_entry.key_path))
      return origin_->override_flag + " " + override_entry.text;
  }
  return enclosing_location_;
}

const std::string& ConfigNode::source_name() const {
  static const std::string none;
  return origin_ ? origin_->source_name : none;
}

std::string ConfigNode::location() const {
  return location_of(key_path_, yaml_.Mark());
}

void ConfigNode::fail_at(const std::string& location, std::string_view message) const {
  throw ConfigError(with_key_path(location, key_path_, message));
}

void ConfigNode::fail(std::string_view message) const {
  fail_at(location(), message);
}

void ConfigNode::fail_at_key(std::string_view key, std::string_view message) const {
  if (yaml_.IsMap()) {
    for (auto it = yaml_.begin(); it != yaml_.end(); ++it) {
      if (it->first.Scalar() == key) {
        fail_at(location_of(join_key(key_path_, key), it->first.Mark()), message);
      }
    }
  }
  fail(message);
}

ConfigNode ConfigNode::child(std::string_view key) const {
  std::string path = join_key(key_path_, key);
  if (yaml_.IsMap()) {
    for (auto it = yaml_.begin(); it != yaml_.end(); ++it) {
      if (it->first.Scalar() == key)
        return ConfigNode(it->second, std::move(path), origin_, location());
    }
  }
  return ConfigNode(YAML::Node(YAML::NodeType::Undefined), std::move(path), origin_, location());
}

ConfigNode ConfigNode::element(std::size_t index) const {
  std::string path = key_path_ + '[' + std::to_string(index) + ']';
  if (yaml_.IsSequence() && index < yaml_.size()) {
    return ConfigNode(yaml_[index], std::move(path), origin_, location());
  }
  return ConfigNode(YAML::Node(YAML::NodeType::Undefined), std::move(path), origin_, location());
}

std::vector<std::string> ConfigNode::keys() const {
  std::vector<std::string> keys;
  if (yaml_.IsMap()) {
    for (auto it = yaml_.begin(); it != yaml_.end(); ++it) keys.push_back(it->first.Scalar());
  }
  return keys;
}

std::string ConfigNode::describe() const {
  if (!yaml_.IsDefined()) return "nothing";
  switch (yaml_.Type()) {
    case YAML::NodeType::Null:
      return "null";
    case YAML::NodeType::Sequence:
      return "a sequence";
    case YAML::NodeType::Map:
      return "a mapping";
    default:
      break;
  }
  constexpr std::size_t kMaxShown = 40;
  const std::string& text = yaml_.Scalar();
  const std::size_t line_end = text.find('\n');
  if (text.size() <= kMaxShown && line_end == std::string::npos) return "'" + text + "'";
  return "'" + text.substr(0, std::min(line_end, kMaxShown - 3)) + "...'";
}

ConfigNode parse_config_text(std::string_view yaml_text, const std::string& source_name,
                             const std::vector<std::string>& overrides,
                             const std::string& override_flag) {
  auto origin = std::make_shared<ConfigOrigin>();
  origin->source_name = source_name;
  origin->override_flag = override_flag;
  YAML::Node root = parse_yaml(
      yaml_text, [&](const YAML::Mark& mark) { return file_location(source_name, mark); }, "");
  for (const std::string& override_text : overrides) apply_override(root, override_text, *origin);
  return ConfigNode(std::move(root), "", std::move(origin), source_name);
}

ConfigNode load_config_file(const std::string& path, const std::vector<std::string>& overrides) {
  return parse_config_text(read_file(path), path, overrides);
}

}  // namespace twinrl
