#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "config/closest_match.h"
#include "config/config_error.h"
#include "config/config_node.h"
#include "config/run_config.h"
#include "config/schema.h"

namespace twinrl {
namespace {

// A struct with every supported field type, to exercise the schema beyond RunConfig.
struct Limits {
  double low = -1.0;
  double high = 1.0;

  template <class Visitor>
  void visit(Visitor& v) {
    v("low", low, {.doc = "lower limit"});
    v("high", high, {.doc = "upper limit", .infinite = true});
  }
  void validate(const ConfigNode& node) const {
    if (!(low < high)) node.child("low").fail("must be less than high");
  }
};

struct Sample {
  bool enabled = true;
  int count = 3;
  std::int64_t big = 5;
  std::uint64_t id = 7;
  float rate = 0.5f;
  double scale = 2.0;
  std::string mode = "fast";
  std::vector<double> weights = {0.5, 1.0};
  std::vector<float> gains;
  std::vector<int> sizes = {64, 64};
  std::vector<std::string> tags;
  Limits limits;
  ConfigNode extra;

  template <class Visitor>
  void visit(Visitor& v) {
    v("enabled", enabled, {.doc = "switch"});
    v("count", count, {.doc = "how many", .min = 0, .max = 10});
    v("big", big, {.doc = "a large number"});
    v("id", id);
    v("rate", rate, {.doc = "a fraction", .min = 0.0, .max = 1.0});
    v("scale", scale, {.doc = "a | pipe", .infinite = true});
    v("mode", mode, {.doc = "speed", .choices = {"fast", "slow", "exact"}});
    v("weights", weights, {.doc = "non-negative weights", .min = 0.0});
    v("gains", gains);
    v("sizes", sizes, {.doc = "layer sizes", .min = 1});
    v("tags", tags, {.choices = {"red", "green"}});
    v("limits", limits);
    v("extra", extra, {.doc = "kept for later"});
  }
};

Sample read_sample(std::string_view yaml, const std::vector<std::string>& overrides = {}) {
  Sample sample;
  read_fields(parse_config_text(yaml, "configs/sample.yaml", overrides), sample);
  return sample;
}

RunConfig read_run(std::string_view yaml, const std::vector<std::string>& overrides = {}) {
  RunConfig config;
  read_fields(parse_config_text(yaml, "configs/cartpole.yaml", overrides), config);
  return config;
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "(no error)";
}

// A file under a fresh temporary directory, removed with it.
class TempDir {
 public:
  TempDir()
      : path_(std::filesystem::temp_directory_path() /
              ("twinrl_config_test_" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string write(const std::string& name, std::string_view text) const {
    const std::filesystem::path file = path_ / name;
    std::ofstream(file) << text;
    return file.string();
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// ---------------------------------------------------------------------------------------------
// Malformed configs and the exact message each must give.

struct BadConfig {
  std::string name;
  enum Target { kRun, kSample } target;
  std::string yaml;
  std::vector<std::string> overrides;
  std::string message;
};

void PrintTo(const BadConfig& bad, std::ostream* out) {
  *out << bad.name;
}

class BadConfigTest : public testing::TestWithParam<BadConfig> {};

TEST_P(BadConfigTest, GivesLocatedMessage) {
  const BadConfig& bad = GetParam();
  const std::string message = error_of([&] {
    if (bad.target == BadConfig::kRun) {
      read_run(bad.yaml, bad.overrides);
    } else {
      read_sample(bad.yaml, bad.overrides);
    }
  });
  EXPECT_EQ(message, bad.message);
}

const BadConfig kBadConfigs[] = {
    {"UnknownKeyWithSuggestion",
     BadConfig::kRun,
     "seed: 1\nenv:\n  id: CartPole\n  num_env: 4\n",
     {},
     "configs/cartpole.yaml:4:3: env: unknown key 'num_env'; did you mean 'num_envs'?"},
    {"UnknownKeyTransposed",
     BadConfig::kRun,
     "env:\n  thraeds: 4\n",
     {},
     "configs/cartpole.yaml:2:3: env: unknown key 'thraeds'; did you mean 'threads'?"},
    {"UnknownKeyListsValidKeys",
     BadConfig::kRun,
     "env:\n  colour: red\n",
     {},
     "configs/cartpole.yaml:2:3: env: unknown key 'colour'; valid keys: id, num_envs, threads, "
     "params, randomize"},
    {"UnknownTopLevelKey",
     BadConfig::kRun,
     "sede: 3\n",
     {},
     "configs/cartpole.yaml:1:1: unknown key 'sede'; did you mean 'seed'?"},
    {"StringForInt",
     BadConfig::kRun,
     "env:\n  num_envs: many\n",
     {},
     "configs/cartpole.yaml:2:13: env.num_envs: expected an integer, got 'many'"},
    {"MappingForString",
     BadConfig::kRun,
     "env:\n  id:\n    name: CartPole\n",
     {},
     "configs/cartpole.yaml:3:5: env.id: expected a string, got a mapping"},
    {"SequenceForString",
     BadConfig::kRun,
     "env:\n  id: [CartPole]\n",
     {},
     "configs/cartpole.yaml:2:7: env.id: expected a string, got a sequence"},
    {"SequenceForInt",
     BadConfig::kRun,
     "seed: [1, 2]\n",
     {},
     "configs/cartpole.yaml:1:7: seed: expected an integer, got a sequence"},
    {"ScalarForSection",
     BadConfig::kRun,
     "env: 3\n",
     {},
     "configs/cartpole.yaml:1:6: env: expected a mapping, got '3'"},
    {"RootNotAMapping",
     BadConfig::kRun,
     "- 1\n- 2\n",
     {},
     "configs/cartpole.yaml:1:1: expected a mapping, got a sequence"},
    {"FloatForInt",
     BadConfig::kRun,
     "env:\n  threads: 1.5\n",
     {},
     "configs/cartpole.yaml:2:12: env.threads: expected an integer, got '1.5'"},
    {"BelowMin",
     BadConfig::kRun,
     "env:\n  threads: 0\n",
     {},
     "configs/cartpole.yaml:2:12: env.threads: 0 is out of range: must be >= 1"},
    {"AboveMax",
     BadConfig::kRun,
     "env:\n  num_envs: 70000\n",
     {},
     "configs/cartpole.yaml:2:13: env.num_envs: 70000 is out of range: must be <= 65536"},
    {"IntOverflow",
     BadConfig::kRun,
     "env:\n  num_envs: 3000000000\n",
     {},
     "configs/cartpole.yaml:2:13: env.num_envs: expected an integer from -2147483648 to "
     "2147483647, got '3000000000'"},
    {"NegativeUnsigned",
     BadConfig::kRun,
     "seed: -1\n",
     {},
     "configs/cartpole.yaml:1:7: seed: expected an integer from 0 to 18446744073709551615, got "
     "'-1'"},
    {"Int64Overflow",
     BadConfig::kSample,
     "big: 9223372036854775808\n",
     {},
     "configs/sample.yaml:1:6: big: expected an integer from -9223372036854775808 to "
     "9223372036854775807, got '9223372036854775808'"},
    {"NameWithSlash",
     BadConfig::kRun,
     "name: ../elsewhere\n",
     {},
     "configs/cartpole.yaml:1:7: name: '../elsewhere' is not a plain directory name"},
    {"ChoiceWithSuggestion",
     BadConfig::kSample,
     "mode: fats\n",
     {},
     "configs/sample.yaml:1:7: mode: 'fats' is not a valid choice; did you mean 'fast'?"},
    {"ChoiceListsChoices",
     BadConfig::kSample,
     "mode: turbo\n",
     {},
     "configs/sample.yaml:1:7: mode: 'turbo' is not a valid choice; valid choices: fast, slow, "
     "exact"},
    {"ChoiceInList",
     BadConfig::kSample,
     "tags: [red, blue]\n",
     {},
     "configs/sample.yaml:1:13: tags[1]: 'blue' is not a valid choice; valid choices: red, green"},
    {"NotABoolean",
     BadConfig::kSample,
     "enabled: maybe\n",
     {},
     "configs/sample.yaml:1:10: enabled: expected true or false, got 'maybe'"},
    {"NotANumber",
     BadConfig::kSample,
     "scale: big\n",
     {},
     "configs/sample.yaml:1:8: scale: expected a number, got 'big'"},
    {"FloatOutOfRange",
     BadConfig::kSample,
     "rate: 1e40\n",
     {},
     "configs/sample.yaml:1:7: rate: '1e40' is out of range for a float"},
    {"NanIsNoNumber",
     BadConfig::kSample,
     "rate: .nan\n",
     {},
     "configs/sample.yaml:1:7: rate: '.nan' is not a finite number"},
    {"InfinityOnlyWhereTheFieldAllowsIt",
     BadConfig::kSample,
     "weights: [1, .inf]\n",
     {},
     "configs/sample.yaml:1:14: weights[1]: '.inf' is not a finite number"},
    {"HugeReal",
     BadConfig::kSample,
     "weights: [1, 1e300]\n",
     {},
     "configs/sample.yaml:1:14: weights[1]: '1e300' is too large: numbers here are at most 1e12 "
     "in magnitude"},
    {"HugeNegativeReal",
     BadConfig::kSample,
     "limits: {low: -2e12}\n",
     {},
     "configs/sample.yaml:1:15: limits.low: '-2e12' is too large: numbers here are at most 1e12 "
     "in magnitude"},
    {"InvalidUtf8",
     BadConfig::kSample,
     "mode: \"fa\xC3\"\n",
     {},
     "configs/sample.yaml:1:7: mode: is not valid UTF-8 text (byte 3); save the file as UTF-8"},
    {"OverlongUtf8InAList",
     BadConfig::kSample,
     "tags: [\"\xC0\xAF\"]\n",
     {},
     "configs/sample.yaml:1:8: tags[0]: is not valid UTF-8 text (byte 1); save the file as UTF-8"},
    {"ScalarForList",
     BadConfig::kSample,
     "weights: 3\n",
     {},
     "configs/sample.yaml:1:10: weights: expected a sequence of numbers, got '3'"},
    {"BadListElement",
     BadConfig::kSample,
     "weights: [1, x]\n",
     {},
     "configs/sample.yaml:1:14: weights[1]: expected a number, got 'x'"},
    {"NullListElement",
     BadConfig::kSample,
     "sizes: [64, ~]\n",
     {},
     "configs/sample.yaml:1:13: sizes[1]: expected an integer, got null"},
    {"ListElementBelowMin",
     BadConfig::kSample,
     "sizes:\n  - 64\n  - 0\n",
     {},
     "configs/sample.yaml:3:5: sizes[1]: 0 is out of range: must be >= 1"},
    {"NestedValidate",
     BadConfig::kSample,
     "limits:\n  low: 2\n  high: 1\n",
     {},
     "configs/sample.yaml:2:8: limits.low: must be less than high"},
    {"DuplicateKey",
     BadConfig::kRun,
     "seed: 1\nenv:\n  id: CartPole\nseed: 2\n",
     {},
     "configs/cartpole.yaml:4:1: duplicate key 'seed'"},
    {"NestedDuplicateKey",
     BadConfig::kRun,
     "env:\n  threads: 1\n  threads: 2\n",
     {},
     "configs/cartpole.yaml:3:3: env: duplicate key 'threads'"},
    {"YamlSyntaxError",
     BadConfig::kRun,
     "env:\n  id: [CartPole\n  threads: 2\n",
     {},
     "configs/cartpole.yaml:3:10: YAML syntax error: end of sequence flow not found"},
    {"TabIndentation",
     BadConfig::kRun,
     "env:\n\tid: CartPole\n",
     {},
     "configs/cartpole.yaml:2:4: YAML syntax error: illegal map value"},
    {"RecursiveAlias",
     BadConfig::kRun,
     "env:\n  params: &loop\n    inner: *loop\n",
     {},
     "configs/cartpole.yaml:3:12: env.params.inner: alias refers to a node that contains it"},
    {"StrayLeadingComma",
     BadConfig::kRun,
     ",seed: 1\n",
     {},
     "configs/cartpole.yaml:1:1: YAML syntax error: unexpected text"},
    {"SecondDocument",
     BadConfig::kRun,
     "seed: 1\n---\nseed: 2\n",
     {},
     "configs/cartpole.yaml:2:1: expected one YAML document, found a second"},
    {"NonStringKey",
     BadConfig::kRun,
     "env:\n  [a, b]: 1\n",
     {},
     "configs/cartpole.yaml:2:3: env: mapping keys must be plain strings"},
    {"SetWithoutEquals",
     BadConfig::kRun,
     "",
     {"env.num_envs"},
     "--set env.num_envs: expected key=value, found no '='"},
    {"SetEmptyKey", BadConfig::kRun, "", {"=4"}, "--set =4: empty key before '='"},
    {"SetEmptySegment",
     BadConfig::kRun,
     "",
     {"env..threads=2"},
     "--set env..threads=2: empty key segment in 'env..threads'"},
    {"SetThroughScalar",
     BadConfig::kRun,
     "seed: 1\n",
     {"seed.value=2"},
     "--set seed.value=2: cannot set 'seed.value': 'seed' is not a mapping"},
    {"SetOnScalarRoot",
     BadConfig::kRun,
     "just text\n",
     {"seed=2"},
     "--set seed=2: cannot set 'seed': the config root is not a mapping"},
    {"SetYamlSyntaxError",
     BadConfig::kRun,
     "",
     {"env.id=[a"},
     "--set env.id=[a: YAML syntax error: end of sequence flow not found"},
    {"SetDuplicateKey",
     BadConfig::kRun,
     "",
     {"env={threads: 1, threads: 2}"},
     "--set env={threads: 1, threads: 2}: env: duplicate key 'threads'"},
    {"SetWrongType",
     BadConfig::kRun,
     "env:\n  num_envs: 4\n",
     {"env.num_envs=abc"},
     "--set env.num_envs=abc: env.num_envs: expected an integer, got 'abc'"},
    {"SetWrongTypeInSetMapping",
     BadConfig::kRun,
     "",
     {"env={threads: x}"},
     "--set env={threads: x}: env.threads: expected an integer, got 'x'"},
    {"SetUnknownKey",
     BadConfig::kRun,
     "env:\n  id: CartPole\n",
     {"env.num_env=4"},
     "--set env.num_env=4: env: unknown key 'num_env'; did you mean 'num_envs'?"},
    {"SetUnknownSection",
     BadConfig::kRun,
     "seed: 1\n",
     {"envs.threads=2"},
     "--set envs.threads=2: unknown key 'envs'; did you mean 'env'?"},
    {"SetUnknownKeyListsValidKeys",
     BadConfig::kRun,
     "",
     {"env.colour=red"},
     "--set env.colour=red: env: unknown key 'colour'; valid keys: id, num_envs, threads, "
     "params, randomize"},
    {"SetNumEnvsBelowItsMinimum",
     BadConfig::kRun,
     "env:\n  num_envs: 4\n",
     {"env.num_envs=0"},
     "--set env.num_envs=0: env.num_envs: 0 is out of range: must be >= 1"},
};

INSTANTIATE_TEST_SUITE_P(Config, BadConfigTest, testing::ValuesIn(kBadConfigs),
                         [](const testing::TestParamInfo<BadConfig>& info) {
                           return info.param.name;
                         });

TEST(LoadConfigFile, MissingFileNamesPathAndReason) {
  EXPECT_EQ(error_of([] { load_config_file("no/such.yaml"); }),
            "cannot read config file 'no/such.yaml': No such file or directory");
}

TEST(LoadConfigFile, DirectoryIsNotAFile) {
  const TempDir dir;
  EXPECT_EQ(error_of([&] { load_config_file(dir.path()); }),
            "cannot read config file '" + dir.path() + "': Is a directory");
}

TEST(LoadConfigFile, ErrorsNameTheFileAsGiven) {
  const TempDir dir;
  const std::string path = dir.write("bad.yaml", "env:\n  num_envs: many\n");
  EXPECT_EQ(error_of([&] { load_run_config(path); }),
            path + ":2:13: env.num_envs: expected an integer, got 'many'");
}

// ---------------------------------------------------------------------------------------------
// Reading valid configs.

TEST(RunConfig, EmptyFileGivesDefaults) {
  const RunConfig config = read_run("");
  EXPECT_EQ(config.name, "");
  EXPECT_EQ(config.seed, 1u);
  EXPECT_EQ(config.env.id, "CartPole");
  EXPECT_EQ(config.env.num_envs, 8);
  EXPECT_EQ(config.env.threads, 1);
  EXPECT_FALSE(config.env.params.defined());
  EXPECT_FALSE(config.env.randomize.defined());
}

TEST(RunConfig, NullSectionsAndValuesKeepDefaults) {
  EXPECT_EQ(read_run("env:\n").env.num_envs, 8);
  EXPECT_EQ(read_run("env: ~\nseed:\n").seed, 1u);
  EXPECT_EQ(read_run("# only a comment\n").env.id, "CartPole");
}

TEST(RunConfig, ReadsEveryField) {
  const RunConfig config = read_run(
      "name: demo\nseed: 0x10\nenv:\n  id: Warehouse\n  num_envs: 64\n  threads: 4\n"
      "  randomize: {gain: [1, 2]}\n  params:\n    robots: 3\n");
  EXPECT_EQ(config.name, "demo");
  EXPECT_EQ(config.seed, 16u);
  EXPECT_EQ(config.env.id, "Warehouse");
  EXPECT_EQ(config.env.num_envs, 64);
  EXPECT_EQ(config.env.threads, 4);
  EXPECT_EQ(config.env.randomize.child("gain").element(1).yaml().Scalar(), "2");
  EXPECT_EQ(config.env.params.child("robots").yaml().Scalar(), "3");
}

TEST(RunConfig, NameDefaultsToFileStem) {
  const TempDir dir;
  EXPECT_EQ(load_run_config(dir.write("cartpole.yaml", "seed: 2\n")).name, "cartpole");
  EXPECT_EQ(load_run_config(dir.write("named.yaml", "name: mine\n")).name, "mine");
}

TEST(RunConfig, AnEmptyFileIsAnError) {
  const TempDir dir;
  const std::string path = dir.write("empty.yaml", "# nothing yet\n");
  EXPECT_EQ(error_of([&] { load_run_config(path); }),
            path +
                ": the config is empty: an experiment names at least its environment (env: "
                "{id: ...}; see configs/)");
  EXPECT_EQ(load_run_config(path, {"env.id=CartPole"}).env.id, "CartPole");
}

TEST(RunConfig, ParamsAreKeptUnvalidatedWithTheirLocation) {
  const RunConfig config = read_run("env:\n  params:\n    gravity: 9.8\n    whatever: [1, 2]\n");
  const ConfigNode gravity = config.env.params.child("gravity");
  EXPECT_EQ(gravity.key_path(), "env.params.gravity");
  EXPECT_EQ(gravity.location(), "configs/cartpole.yaml:3:14");
  // The env registry later validates them with the same machinery.
  Limits limits;
  EXPECT_EQ(error_of([&] { read_fields(config.env.params, limits); }),
            "configs/cartpole.yaml:3:5: env.params: unknown key 'gravity'; valid keys: low, high");
}

TEST(RunConfig, AbsentParamsStillKnowTheirPath) {
  const RunConfig config = read_run("seed: 1\nenv:\n  id: CartPole\n");
  EXPECT_EQ(config.env.params.key_path(), "env.params");
  EXPECT_EQ(config.env.params.location(), "configs/cartpole.yaml:3:3");
  EXPECT_EQ(read_run("").env.params.location(), "configs/cartpole.yaml");
}

TEST(Overrides, AreAppliedOnTopOfTheFile) {
  const RunConfig config =
      read_run("seed: 1\nenv:\n  num_envs: 4\n",
               {"env.num_envs=16", "seed=42", "name = exp1", "env.params.gravity=3.5"});
  EXPECT_EQ(config.name, "exp1");
  EXPECT_EQ(config.seed, 42u);
  EXPECT_EQ(config.env.num_envs, 16);
  const ConfigNode gravity = config.env.params.child("gravity");
  EXPECT_EQ(gravity.yaml().Scalar(), "3.5");
  EXPECT_EQ(gravity.location(), "--set env.params.gravity=3.5");
  EXPECT_EQ(config.env.params.location(), "--set env.params.gravity=3.5");
}

TEST(Overrides, CreateMissingSections) {
  const RunConfig config = read_run("", {"env.threads=4", "env.params.layout.rows=3"});
  EXPECT_EQ(config.env.threads, 4);
  EXPECT_EQ(config.env.params.child("layout").child("rows").yaml().Scalar(), "3");
}

TEST(Overrides, ReplaceANullSection) {
  EXPECT_EQ(read_run("env:\n", {"env.threads=4"}).env.threads, 4);
}

TEST(Overrides, LaterOnesWin) {
  EXPECT_EQ(read_run("", {"seed=1", "seed=2"}).seed, 2u);
  const ConfigNode root = parse_config_text("", "x.yaml", {"env={threads: 2}", "env.id=A"});
  EXPECT_EQ(root.child("env").child("id").location(), "--set env.id=A");
  EXPECT_EQ(root.child("env").child("threads").location(), "--set env={threads: 2}");
}

TEST(Overrides, ValuesAreYaml) {
  const Sample sample = read_sample(
      "", {"weights=[1, 2.5]", "enabled=false", "rate=3e-1", "tags=[red]", "limits={low: -5}"});
  EXPECT_EQ(sample.weights, (std::vector<double>{1.0, 2.5}));
  EXPECT_FALSE(sample.enabled);
  EXPECT_FLOAT_EQ(sample.rate, 0.3f);
  EXPECT_EQ(sample.tags, (std::vector<std::string>{"red"}));
  EXPECT_EQ(sample.limits.low, -5.0);
}

TEST(Overrides, EmptyValueMeansDefault) {
  EXPECT_EQ(read_run("seed: 5\n", {"seed="}).seed, 1u);
}

TEST(Schema, ReadsEveryFieldType) {
  const Sample sample = read_sample(
      "enabled: no\ncount: 10\nbig: -9223372036854775808\nid: 18446744073709551615\n"
      "rate: 0.25\nscale: -.inf\nmode: exact\nweights: [0, 1e-3]\ngains: [2]\n"
      "sizes: []\ntags: [green, red]\nlimits:\n  low: 0\n  high: 1e2\nextra: {a: 1}\n");
  EXPECT_FALSE(sample.enabled);
  EXPECT_EQ(sample.count, 10);
  EXPECT_EQ(sample.big, std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(sample.id, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(sample.rate, 0.25f);
  EXPECT_EQ(sample.scale, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(sample.mode, "exact");
  EXPECT_EQ(sample.weights, (std::vector<double>{0.0, 1e-3}));
  EXPECT_EQ(sample.gains, (std::vector<float>{2.0f}));
  EXPECT_TRUE(sample.sizes.empty());
  EXPECT_EQ(sample.tags, (std::vector<std::string>{"green", "red"}));
  EXPECT_EQ(sample.limits.low, 0.0);
  EXPECT_EQ(sample.limits.high, 100.0);
  EXPECT_EQ(sample.extra.child("a").yaml().Scalar(), "1");
}

TEST(Schema, IntegersAcceptExactlyIntegralForms) {
  EXPECT_EQ(read_sample("count: +7\n").count, 7);
  EXPECT_EQ(read_sample("count: 0o7\n").count, 7);
  EXPECT_EQ(read_sample("big: 1e6\n").big, 1000000);
  EXPECT_EQ(read_sample("big: -2.0\n").big, -2);
  EXPECT_EQ(read_sample("count: \"4\"\n").count, 4);
  EXPECT_EQ(error_of([] { read_sample("count: 1e-1\n"); }),
            "configs/sample.yaml:1:8: count: expected an integer, got '1e-1'");
  EXPECT_EQ(error_of([] { read_sample("count: .inf\n"); }),
            "configs/sample.yaml:1:8: count: expected an integer, got '.inf'");
}

struct WideRange {
  double far = 0;
  std::string label;
  template <class Visitor>
  void visit(Visitor& v) {
    v("far", far, {.min = 0, .max = 1e15});
    v("label", label);
  }
};

TEST(Schema, LargeRealsPassWhereTheBoundsReachThemAndTextMayBeAnyUtf8) {
  // scale allows infinity; a bound beyond 1e12 lets a value through as well.
  WideRange wide;
  read_fields(parse_config_text("far: 1e14\nlabel: \"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\xA6\"\n",
                                "wide.yaml"),
              wide);
  EXPECT_EQ(wide.far, 1e14);
  EXPECT_EQ(wide.label, "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\xA6");
  EXPECT_EQ(read_sample("scale: .inf\n").scale, std::numeric_limits<double>::infinity());
}

TEST(Schema, StringsAcceptAnyScalar) {
  EXPECT_EQ(read_run("name: 2024\n").name, "2024");
  EXPECT_EQ(read_run("name: 'true'\n").name, "true");
}

TEST(Schema, WriteFieldsRoundTrips) {
  Sample original = read_sample("extra:\n  nested: {deep: [1, 2]}\n  label: x\n");
  original.enabled = false;
  original.count = 9;
  original.big = -(std::int64_t{1} << 62);
  original.id = std::numeric_limits<std::uint64_t>::max();
  original.rate = 0.1f;
  original.scale = 1e-7;
  original.mode = "slow";
  original.weights = {0.1, 1.0 / 3.0, 123456789012.345};
  original.gains = {0.3f};
  original.sizes = {};
  original.tags = {"green"};
  original.limits = {.low = -0.5, .high = std::numeric_limits<double>::infinity()};

  const std::string written = YAML::Dump(write_fields(original));
  const Sample copy = read_sample(written);
  EXPECT_EQ(copy.enabled, original.enabled);
  EXPECT_EQ(copy.count, original.count);
  EXPECT_EQ(copy.big, original.big);
  EXPECT_EQ(copy.id, original.id);
  EXPECT_EQ(copy.rate, original.rate);
  EXPECT_EQ(copy.scale, original.scale);
  EXPECT_EQ(copy.mode, original.mode);
  EXPECT_EQ(copy.weights, original.weights);
  EXPECT_EQ(copy.gains, original.gains);
  EXPECT_EQ(copy.sizes, original.sizes);
  EXPECT_EQ(copy.tags, original.tags);
  EXPECT_EQ(copy.limits.low, original.limits.low);
  EXPECT_EQ(copy.limits.high, original.limits.high);
  EXPECT_EQ(YAML::Dump(copy.extra.yaml()), YAML::Dump(original.extra.yaml()));
  EXPECT_EQ(YAML::Dump(write_fields(copy)), written);
}

TEST(Schema, WriteFieldsIsTheFullResolvedConfig) {
  RunConfig config = read_run("seed: 3\nenv:\n  params: {robots: 2}\n");
  config.name = "null";  // a string that YAML would otherwise read as null
  const YAML::Node written = write_fields(config);
  EXPECT_EQ(YAML::Dump(written["name"]), "\"null\"");
  EXPECT_EQ(YAML::Dump(written["seed"]), "3");
  EXPECT_EQ(YAML::Dump(written["env"]),
            "id: CartPole\nnum_envs: 8\nthreads: 1\nparams: {robots: 2}\nrandomize: ~");
  EXPECT_EQ(read_run(YAML::Dump(written)).name, "null");
}

TEST(Schema, DescribeFieldsListsKeysDefaultsAndRanges) {
  const std::vector<FieldInfo> fields = describe_fields<RunConfig>();
  std::vector<std::string> keys;
  for (const FieldInfo& field : fields) keys.push_back(field.key);
  keys.resize(7);  // sections added later (agent, ...) follow
  EXPECT_EQ(keys, (std::vector<std::string>{"name", "seed", "env.id", "env.num_envs", "env.threads",
                                            "env.params", "env.randomize"}));
  const FieldInfo& num_envs = fields[3];
  EXPECT_EQ(num_envs.type, "int");
  EXPECT_EQ(num_envs.default_value, "8");
  EXPECT_EQ(num_envs.min, 1.0);
  EXPECT_EQ(num_envs.max, 65536.0);
  EXPECT_EQ(num_envs.doc, "environment copies stepped in parallel");
  EXPECT_EQ(fields[2].default_value, "\"CartPole\"");
  EXPECT_EQ(fields[6].type, "mapping");

  const std::vector<FieldInfo> sample = describe_fields<Sample>();
  EXPECT_EQ(sample[4].type, "float");
  EXPECT_EQ(sample[4].default_value, "0.5");
  EXPECT_EQ(sample[6].choices, (std::vector<std::string>{"fast", "slow", "exact"}));
  EXPECT_EQ(sample[7].type, "list of double");
  EXPECT_EQ(sample[7].default_value, "[0.5, 1]");
  EXPECT_EQ(sample[11].key, "limits.low");
  EXPECT_EQ(sample[11].default_value, "-1");
}

TEST(Schema, FormatFieldTableIsMarkdown) {
  std::vector<FieldInfo> fields = describe_fields<Sample>();
  fields.resize(7);
  EXPECT_EQ(format_field_table(fields),
            "| key | type | default | range/choices | description |\n"
            "| --- | --- | --- | --- | --- |\n"
            "| `enabled` | bool | `true` |  | switch |\n"
            "| `count` | int | `3` | [0, 10] | how many |\n"
            "| `big` | int64 | `5` |  | a large number |\n"
            "| `id` | uint64 | `7` |  |  |\n"
            "| `rate` | float | `0.5` | [0, 1] | a fraction |\n"
            "| `scale` | double | `2` |  | a \\| pipe |\n"
            "| `mode` | string | `\"fast\"` | `fast`, `slow`, `exact` | speed |\n");
}

// ---------------------------------------------------------------------------------------------
// ConfigNode and closest_match on their own.

TEST(ConfigNode, PathsAndLocations) {
  const ConfigNode root = parse_config_text("env:\n  params:\n    goals: [1, 2]\n", "x.yaml");
  EXPECT_EQ(root.key_path(), "");
  EXPECT_EQ(root.location(), "x.yaml:1:1");
  const ConfigNode goals = root.child("env").child("params").child("goals");
  EXPECT_EQ(goals.key_path(), "env.params.goals");
  EXPECT_EQ(goals.element(1).key_path(), "env.params.goals[1]");
  EXPECT_EQ(goals.element(1).location(), "x.yaml:3:16");
  EXPECT_FALSE(goals.element(2).defined());
  EXPECT_EQ(goals.element(2).location(), "x.yaml:3:12");
  const ConfigNode absent = root.child("env").child("missing");
  EXPECT_FALSE(absent.defined());
  EXPECT_EQ(absent.location(), "x.yaml:2:3");
  EXPECT_EQ(error_of([&] { absent.fail("is required"); }), "x.yaml:2:3: env.missing: is required");
  EXPECT_EQ(error_of([&] { root.fail("bad"); }), "x.yaml:1:1: bad");
  EXPECT_EQ(root.child("env").keys(), (std::vector<std::string>{"params"}));
}

TEST(ConfigNode, DefinedAndDescribe) {
  const ConfigNode root = parse_config_text("a: ~\nb: text\nc: [1]\nd: {}\n", "x.yaml");
  EXPECT_FALSE(root.child("a").defined());
  EXPECT_EQ(root.child("a").describe(), "null");
  EXPECT_EQ(root.child("b").describe(), "'text'");
  EXPECT_EQ(root.child("c").describe(), "a sequence");
  EXPECT_EQ(root.child("d").describe(), "a mapping");
  EXPECT_EQ(root.child("e").describe(), "nothing");
  EXPECT_EQ(root.child("b").child("x").describe(), "nothing");
  EXPECT_FALSE(ConfigNode().defined());
}

TEST(ConfigNode, AssignmentRebindsWithoutChangingTheSharedTree) {
  const ConfigNode root = parse_config_text("params:\n  gain: 3\n", "a.yaml");
  ConfigNode copy = root.child("params");
  copy = ConfigNode();  // must not overwrite params in the tree
  EXPECT_FALSE(copy.defined());
  EXPECT_EQ(root.child("params").child("gain").yaml().as<int>(), 3);
  ConfigNode other = root.child("params").child("gain");
  other = root.child("params");
  EXPECT_EQ(other.key_path(), "params");
  EXPECT_EQ(root.child("params").child("gain").yaml().as<int>(), 3);
}

TEST(ClosestMatch, FindsNearestCandidate) {
  const std::vector<std::string> keys = {"id", "num_envs", "threads", "batch_size", "params"};
  EXPECT_EQ(closest_match("num_env", keys), "num_envs");
  EXPECT_EQ(closest_match("thraeds", keys), "threads");
  EXPECT_EQ(closest_match("batchsize", keys), "batch_size");
  EXPECT_EQ(closest_match("threads", keys), "threads");
  EXPECT_EQ(closest_match("colour", keys), std::nullopt);
  EXPECT_EQ(closest_match("anything", {}), std::nullopt);
}

TEST(ClosestMatch, AllowsMoreEditsForLongerWords) {
  const std::vector<std::string> ids = {"WarehouseRobots", "CartPole"};
  // 15 letters allow 5 edits; 8 letters allow only 2.
  EXPECT_EQ(closest_match("warehouse_robot", ids), "WarehouseRobots");
  EXPECT_EQ(closest_match("cart_pole", ids), "CartPole");
  EXPECT_EQ(closest_match("carpool", ids), std::nullopt);
}

TEST(ClosestMatch, PrefersFirstOnTies) {
  EXPECT_EQ(closest_match("ab", {"ax", "xb"}), "ax");
}

}  // namespace
}  // namespace twinrl
