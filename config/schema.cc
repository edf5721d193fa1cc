#include "config/schema.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iterator>
#include <limits>
#include <system_error>

#include "config/closest_match.h"

namespace twinrl::schema_detail {
namespace {

std::string join(const std::vector<std::string>& words, std::string_view separator) {
  std::string joined;
  for (const std::string& word : words) {
    if (!joined.empty()) joined += separator;
    joined += word;
  }
  return joined;
}

// Shortest text that reads back to the same value; integral values print without exponent.
template <class Float>
std::string format_number(Float value) {
  if (std::isnan(value)) return ".nan";
  if (std::isinf(value)) return value > 0 ? ".inf" : "-.inf";
  if (value == std::trunc(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<long long>(value));
  }
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

const std::string& scalar_text(const ConfigNode& node, std::string_view expected) {
  if (!node.yaml().IsScalar()) {
    node.fail("expected " + std::string(expected) + ", got " + node.describe());
  }
  return node.yaml().Scalar();
}

enum class Parse { kOk, kMalformed, kOutOfRange };

// YAML's number forms: decimal, exponent, .inf/-.inf/.nan (also plain inf/nan).
template <class Float>
Parse parse_float(std::string_view text, Float& value) {
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text == ".inf" || text == ".Inf" || text == ".INF") {
    value =
        negative ? -std::numeric_limits<Float>::infinity() : std::numeric_limits<Float>::infinity();
    return Parse::kOk;
  }
  if (text == ".nan" || text == ".NaN" || text == ".NAN") {
    value = std::numeric_limits<Float>::quiet_NaN();
    return Parse::kOk;
  }
  if (text.empty() || text[0] == '+' || text[0] == '-') return Parse::kMalformed;
  Float magnitude{};
  const auto result = std::from_chars(text.data(), text.data() + text.size(), magnitude);
  if (result.ptr != text.data() + text.size()) return Parse::kMalformed;
  if (result.ec == std::errc::result_out_of_range) return Parse::kOutOfRange;
  if (result.ec != std::errc()) return Parse::kMalformed;
  value = negative ? -magnitude : magnitude;
  return Parse::kOk;
}

// Decimal, 0x hex and 0o octal integers; also exactly integral numbers such as 1e6 (handy for
// step counts), but never a fraction: 1.5 for an integer is an error, not a truncation.
template <class Int>
Parse parse_integer(std::string_view text, Int& value) {
  std::string_view digits = text;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  int base = 10;
  if (digits.starts_with("0x") || digits.starts_with("0X")) {
    base = 16;
    digits.remove_prefix(2);
  } else if (digits.starts_with("0o")) {
    base = 8;
    digits.remove_prefix(2);
  }
  std::uint64_t magnitude = 0;
  const char* end = digits.data() + digits.size();
  const auto result = std::from_chars(digits.data(), end, magnitude, base);
  const bool is_integer = !digits.empty() && digits[0] != '+' && digits[0] != '-' &&
                          result.ptr == end && result.ec != std::errc::invalid_argument;
  if (is_integer) {
    if (result.ec == std::errc::result_out_of_range) return Parse::kOutOfRange;
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<Int>::max());
    // The magnitude of the most negative value: -(min + 1) + 1, to stay in range while computing.
    constexpr std::uint64_t kMaxNegative =
        static_cast<std::uint64_t>(-(std::numeric_limits<Int>::min() + 1)) + 1;
    if (negative) {
      if (magnitude == 0) {
        value = 0;
      } else if (!std::is_signed_v<Int> || magnitude > kMaxNegative) {
        return Parse::kOutOfRange;
      } else {
        value = static_cast<Int>(-static_cast<std::int64_t>(magnitude - 1) - 1);
      }
    } else {
      if (magnitude > kMax) return Parse::kOutOfRange;
      value = static_cast<Int>(magnitude);
    }
    return Parse::kOk;
  }
  double number = 0;
  if (parse_float(text, number) != Parse::kOk || !std::isfinite(number) ||
      number != std::trunc(number)) {
    return Parse::kMalformed;
  }
  // Both limits are powers of two (minus one for the maximum), so these doubles are exact.
  const double lowest = static_cast<double>(std::numeric_limits<Int>::min());
  const double beyond_max = static_cast<double>(std::numeric_limits<Int>::max() / 2 + 1) * 2;
  if (number < lowest || number >= beyond_max) return Parse::kOutOfRange;
  value = static_cast<Int>(number);
  return Parse::kOk;
}

void check_bounds(const ConfigNode& node, double value, const FieldSpec& spec) {
  // Written so that NaN fails any bound.
  if (spec.min && !(value >= *spec.min)) {
    node.fail(node.yaml().Scalar() + " is out of range: must be >= " + format_number(*spec.min));
  }
  if (spec.max && !(value <= *spec.max)) {
    node.fail(node.yaml().Scalar() + " is out of range: must be <= " + format_number(*spec.max));
  }
}

template <class Int>
void read_integer(const ConfigNode& node, Int& value, const FieldSpec& spec) {
  const std::string& text = scalar_text(node, "an integer");
  switch (parse_integer(text, value)) {
    case Parse::kOk:
      break;
    case Parse::kMalformed:
      node.fail("expected an integer, got " + node.describe());
    case Parse::kOutOfRange:
      node.fail("expected an integer from " + std::to_string(std::numeric_limits<Int>::min()) +
                " to " + std::to_string(std::numeric_limits<Int>::max()) + ", got " +
                node.describe());
  }
  check_bounds(node, static_cast<double>(value), spec);
}

// Real numbers beyond this magnitude are refused unless a field's bounds
// reach further: no simulation or learning setting needs them, and a demand
// or a force of 1e300 overflows an env's integers or physics instead of
// meaning anything (a typo, or a test of the limits).
constexpr double kLargestReal = 1e12;

template <class Float>
void read_float(const ConfigNode& node, Float& value, const FieldSpec& spec) {
  const std::string& text = scalar_text(node, "a number");
  switch (parse_float(text, value)) {
    case Parse::kOk:
      break;
    case Parse::kMalformed:
      node.fail("expected a number, got " + node.describe());
    case Parse::kOutOfRange:
      node.fail(node.describe() + " is out of range for " +
                (std::is_same_v<Float, float> ? "a float" : "a double"));
  }
  if (std::isnan(value) || (std::isinf(value) && !spec.infinite))
    node.fail(node.describe() + " is not a finite number");
  if (std::isfinite(value) && std::fabs(value) > kLargestReal &&
      !(value > 0 && spec.max && *spec.max > kLargestReal) &&
      !(value < 0 && spec.min && *spec.min < -kLargestReal))
    node.fail(node.describe() + " is too large: numbers here are at most 1e12 in magnitude");
  check_bounds(node, value, spec);
}

// The byte offset of the first byte of `text` that is not valid UTF-8 (an
// overlong form, a surrogate or beyond U+10FFFF counts as invalid), or npos.
size_t invalid_utf8_at(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    int length = 0;
    unsigned min_second = 0x80, max_second = 0xBF;
    if (byte < 0x80)
      length = 1;
    else if (byte >= 0xC2 && byte <= 0xDF)
      length = 2;
    else if (byte >= 0xE0 && byte <= 0xEF) {
      length = 3;
      if (byte == 0xE0) min_second = 0xA0;
      if (byte == 0xED) max_second = 0x9F;
    } else if (byte >= 0xF0 && byte <= 0xF4) {
      length = 4;
      if (byte == 0xF0) min_second = 0x90;
      if (byte == 0xF4) max_second = 0x8F;
    } else {
      return i;
    }
    if (i + length > text.size()) return i;
    for (int k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      const unsigned low = k == 1 ? min_second : 0x80, high = k == 1 ? max_second : 0xBF;
      if (next < low || next > high) return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

template <class Element>
void read_list(const ConfigNode& node, std::vector<Element>& values, std::string_view expected,
               const FieldSpec& spec) {
  if (!node.yaml().IsSequence()) {
    node.fail("expected " + std::string(expected) + ", got " + node.describe());
  }
  std::vector<Element> read(node.yaml().size());
  for (std::size_t i = 0; i < read.size(); ++i) read_value(node.element(i), read[i], spec);
  values = std::move(read);
}

template <class Element>
YAML::Node write_list(const std::vector<Element>& values) {
  YAML::Node sequence(YAML::NodeType::Sequence);
  for (const Element& value : values) sequence.push_back(write_value(value));
  sequence.SetStyle(YAML::EmitterStyle::Flow);
  return sequence;
}

std::string quoted(const std::string& text) {
  std::string result = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') result += '\\';
    result += c;
  }
  return result + '"';
}

template <class Element>
std::string format_list(const std::vector<Element>& values) {
  std::string text = "[";
  for (const Element& value : values) {
    if (text.size() > 1) text += ", ";
    if constexpr (std::is_same_v<Element, std::string>) {
      text += quoted(value);
    } else {
      text += format_number(value);
    }
  }
  return text + "]";
}

// YAML 1.1 booleans, as yaml-cpp reads them: true/false, yes/no, on/off, in lower, Title or UPPER
// case (but not y/n, which are too easily meant as strings).
std::optional<bool> parse_bool(const std::string& text) {
  static constexpr std::string_view kTrue[] = {"true", "True", "TRUE", "yes", "Yes",
                                               "YES",  "on",   "On",   "ON"};
  static constexpr std::string_view kFalse[] = {"false", "False", "FALSE", "no", "No",
                                                "NO",    "off",   "Off",   "OFF"};
  if (std::ranges::find(kTrue, text) != std::end(kTrue)) return true;
  if (std::ranges::find(kFalse, text) != std::end(kFalse)) return false;
  return std::nullopt;
}

void check_choice(const ConfigNode& node, const std::string& value, const FieldSpec& spec) {
  if (spec.choices.empty()) return;
  if (std::ranges::find(spec.choices, value) != spec.choices.end()) return;
  const std::vector<std::string> choices(spec.choices.begin(), spec.choices.end());
  const std::optional<std::string> suggestion = closest_match(value, choices);
  node.fail("'" + value + "' is not a valid choice; " +
            (suggestion ? "did you mean '" + *suggestion + "'?"
                        : "valid choices: " + join(choices, ", ")));
}

// Markdown table cells must not contain '|' or line breaks.
std::string table_cell(std::string_view text) {
  std::string cell;
  for (char c : text) {
    if (c == '|') cell += '\\';
    cell += c == '\n' ? ' ' : c;
  }
  return cell;
}

}  // namespace

void read_value(const ConfigNode& node, bool& value, const FieldSpec&) {
  const std::optional<bool> parsed =
      node.yaml().IsScalar() ? parse_bool(node.yaml().Scalar()) : std::nullopt;
  if (!parsed) node.fail("expected true or false, got " + node.describe());
  value = *parsed;
}
void read_value(const ConfigNode& node, int& value, const FieldSpec& spec) {
  read_integer(node, value, spec);
}
void read_value(const ConfigNode& node, std::int64_t& value, const FieldSpec& spec) {
  read_integer(node, value, spec);
}
void read_value(const ConfigNode& node, std::uint64_t& value, const FieldSpec& spec) {
  read_integer(node, value, spec);
}
void read_value(const ConfigNode& node, float& value, const FieldSpec& spec) {
  read_float(node, value, spec);
}
void read_value(const ConfigNode& node, double& value, const FieldSpec& spec) {
  read_float(node, value, spec);
}
void read_value(const ConfigNode& node, std::string& value, const FieldSpec& spec) {
  // Any scalar is a string: `name: 2024` is the name "2024".
  const std::string& text = scalar_text(node, "a string");
  // Names become directories, JSON and page titles: all of which need text.
  if (const size_t at = invalid_utf8_at(text); at != std::string_view::npos)
    node.fail("is not valid UTF-8 text (byte " + std::to_string(at + 1) +
              "); save the file as UTF-8");
  check_choice(node, text, spec);
  value = text;
}
void read_value(const ConfigNode& node, std::vector<double>& value, const FieldSpec& spec) {
  read_list(node, value, "a sequence of numbers", spec);
}
void read_value(const ConfigNode& node, std::vector<float>& value, const FieldSpec& spec) {
  read_list(node, value, "a sequence of numbers", spec);
}
void read_value(const ConfigNode& node, std::vector<int>& value, const FieldSpec& spec) {
  read_list(node, value, "a sequence of integers", spec);
}
void read_value(const ConfigNode& node, std::vector<std::string>& value, const FieldSpec& spec) {
  read_list(node, value, "a sequence of strings", spec);
}

YAML::Node write_value(bool value) {
  return YAML::Node(value ? "true" : "false");
}
YAML::Node write_value(int value) {
  return YAML::Node(std::to_string(value));
}
YAML::Node write_value(std::int64_t value) {
  return YAML::Node(std::to_string(value));
}
YAML::Node write_value(std::uint64_t value) {
  return YAML::Node(std::to_string(value));
}
YAML::Node write_value(float value) {
  return YAML::Node(format_number(value));
}
YAML::Node write_value(double value) {
  return YAML::Node(format_number(value));
}
YAML::Node write_value(const std::string& value) {
  return YAML::Node(value);
}
YAML::Node write_value(const std::vector<double>& value) {
  return write_list(value);
}
YAML::Node write_value(const std::vector<float>& value) {
  return write_list(value);
}
YAML::Node write_value(const std::vector<int>& value) {
  return write_list(value);
}
YAML::Node write_value(const std::vector<std::string>& value) {
  return write_list(value);
}
YAML::Node write_value(const ConfigNode& value) {
  // A copy, so that edits to the written tree cannot reach the loaded config.
  return value.defined() ? YAML::Clone(value.yaml()) : YAML::Node(YAML::NodeType::Null);
}

void describe_value(bool value, FieldInfo& info) {
  info.type = "bool";
  info.default_value = value ? "true" : "false";
}
void describe_value(int value, FieldInfo& info) {
  info.type = "int";
  info.default_value = std::to_string(value);
}
void describe_value(std::int64_t value, FieldInfo& info) {
  info.type = "int64";
  info.default_value = std::to_string(value);
}
void describe_value(std::uint64_t value, FieldInfo& info) {
  info.type = "uint64";
  info.default_value = std::to_string(value);
}
void describe_value(float value, FieldInfo& info) {
  info.type = "float";
  info.default_value = format_number(value);
}
void describe_value(double value, FieldInfo& info) {
  info.type = "double";
  info.default_value = format_number(value);
}
void describe_value(const std::string& value, FieldInfo& info) {
  info.type = "string";
  info.default_value = quoted(value);
}
void describe_value(const std::vector<double>& value, FieldInfo& info) {
  info.type = "list of double";
  info.default_value = format_list(value);
}
void describe_value(const std::vector<float>& value, FieldInfo& info) {
  info.type = "list of float";
  info.default_value = format_list(value);
}
void describe_value(const std::vector<int>& value, FieldInfo& info) {
  info.type = "list of int";
  info.default_value = format_list(value);
}
void describe_value(const std::vector<std::string>& value, FieldInfo& info) {
  info.type = "list of string";
  info.default_value = format_list(value);
}
void describe_value(const ConfigNode& value, FieldInfo& info) {
  info.type = "mapping";
  if (!value.defined()) {
    info.default_value = "{}";
    return;
  }
  YAML::Emitter emitter;
  emitter << YAML::Flow << value.yaml();
  info.default_value = emitter.c_str();
}

void check_keys(const ConfigNode& node, const std::vector<std::string>& known_keys) {
  if (!node.defined()) return;
  if (!node.yaml().IsMap()) node.fail("expected a mapping, got " + node.describe());
  for (const std::string& key : node.keys()) {
    if (std::ranges::find(known_keys, key) != known_keys.end()) continue;
    const std::optional<std::string> suggestion = closest_match(key, known_keys);
    node.fail_at_key(key, "unknown key '" + key + "'; " +
                              (suggestion ? "did you mean '" + *suggestion + "'?"
                                          : "valid keys: " + join(known_keys, ", ")));
  }
}

}  // namespace twinrl::schema_detail

namespace twinrl {

std::string format_field_table(const std::vector<FieldInfo>& fields) {
  using schema_detail::table_cell;
  std::string table =
      "| key | type | default | range/choices | description |\n"
      "| --- | --- | --- | --- | --- |\n";
  for (const FieldInfo& field : fields) {
    std::string limits;
    if (field.min && field.max) {
      limits = "[" + schema_detail::format_number(*field.min) + ", " +
               schema_detail::format_number(*field.max) + "]";
    } else if (field.min) {
      limits = ">= " + schema_detail::format_number(*field.min);
    } else if (field.max) {
      limits = "<= " + schema_detail::format_number(*field.max);
    }
    for (const std::string& choice : field.choices) {
      if (!limits.empty()) limits += ", ";
      limits += "`" + choice + "`";
    }
    table += "| `" + field.key + "` | " + field.type + " | `" + table_cell(field.default_value) +
             "` | " + table_cell(limits) + " | " + table_cell(field.doc) + " |\n";
  }
  return table;
}

}  // namespace twinrl
