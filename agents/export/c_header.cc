#include "agents/export/c_header.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <span>

namespace twinrl {
namespace {

// Symmetric per-row quantization: row o is scale[o] * q[o, :].
struct QuantizedWeights {
  std::vector<int8_t> values;
  std::vector<float> scales;
};

QuantizedWeights quantize(const DenseLayer& layer) {
  QuantizedWeights quantized{std::vector<int8_t>(layer.weight.size()),
                             std::vector<float>(layer.outputs)};
  for (int64_t o = 0; o < layer.outputs; ++o) {
    const std::span<const float> row(layer.weight.data() + o * layer.inputs, layer.inputs);
    float largest = 0;
    for (float w : row) largest = std::max(largest, std::fabs(w));
    const float scale = largest > 0 ? largest / 127.0f : 1.0f;
    quantized.scales[o] = scale;
    for (int64_t i = 0; i < layer.inputs; ++i)
      quantized.values[o * layer.inputs + i] =
          static_cast<int8_t>(std::clamp(std::lround(row[i] / scale), -127L, 127L));
  }
  return quantized;
}

// `values` of a [outputs, inputs] layer, reordered to [inputs, outputs].
template <class T>
std::vector<T> transposed(const std::vector<T>& values, const DenseLayer& layer) {
  std::vector<T> result(values.size());
  for (int64_t o = 0; o < layer.outputs; ++o)
    for (int64_t i = 0; i < layer.inputs; ++i)
      result[i * layer.outputs + o] = values[o * layer.inputs + i];
  return result;
}

// Exact round trip of a float through C source.
std::string c_float(float value) {
  if (std::isinf(value)) return value > 0 ? "INFINITY" : "-INFINITY";
  char text[32];
  std::snprintf(text, sizeof text, "%.9gf", static_cast<double>(value));
  std::string result = text;
  // "1f" is not a float literal; "1.f" is not needed if an exponent or point is present.
  if (result.find_first_of(".en") == std::string::npos) result.insert(result.size() - 1, ".");
  return result;
}

class HeaderWriter {
 public:
  explicit HeaderWriter(std::string prefix) : prefix_(std::move(prefix)) {}

  void line(const std::string& text) {
    out_ += text;
    out_ += '\n';
  }

  template <class T, class Format>
  void array(const std::string& type, const std::string& name, std::span<const T> values,
             Format format) {
    out_ += "static const " + type + " " + prefix_ + "_" + name + "[" +
            std::to_string(values.size()) + "] = {";
    for (size_t i = 0; i < values.size(); ++i) {
      out_ += i % 8 == 0 ? "\n    " : " ";
      out_ += format(values[i]);
      out_ += ',';
    }
    out_ += "\n};\n";
  }

  const std::string& text() const { return out_; }

 private:
  std::string prefix_;
  std::string out_;
};

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

float int8_weight_error(const ExportedPolicy& policy) {
  float largest = 0;
  for (const DenseLayer& layer : policy.layers) {
    const QuantizedWeights quantized = quantize(layer);
    for (int64_t o = 0; o < layer.outputs; ++o)
      for (int64_t i = 0; i < layer.inputs; ++i) {
        const int64_t k = o * layer.inputs + i;
        largest = std::max(largest,
                           std::fabs(layer.weight[k] - quantized.scales[o] * quantized.values[k]));
      }
  }
  return largest;
}

std::string c_header(const ExportedPolicy& policy, const CHeaderOptions& options) {
  const std::string& p = options.prefix;
  const std::string guard = upper(p) + "_H";
  const bool discrete = policy.rule == ActionRule::kArgmaxPerDimension;
  int64_t widest = policy.observation_size;
  for (const DenseLayer& layer : policy.layers) widest = std::max(widest, layer.outputs);

  HeaderWriter h(p);
  h.line("/* " + options.banner);
  h.line(
      " * C99, no allocation, no dependency beyond <math.h>. Weights are stored [input][output], " +
      std::string(options.int8 ? "int8, symmetric per output channel: w = scale[o] * q[i][o]."
                               : "float32.") +
      " */");
  h.line("#ifndef " + guard);
  h.line("#define " + guard);
  h.line("#include <math.h>");
  h.line("");
  h.line("#define " + upper(p) + "_OBSERVATION_SIZE " + std::to_string(policy.observation_size));
  h.line("#define " + upper(p) + "_ACTION_SIZE " + std::to_string(policy.action_size()));
  if (discrete)
    h.line("#define " + upper(p) + "_MASK_SIZE " + std::to_string(policy.output_size()) +
           " /* bytes of an action mask */");
  h.line("");
  auto floats = [](float value) { return c_float(value); };
  if (policy.normalize_observations) {
    h.array<float>("float", "observation_mean", policy.observation_mean, floats);
    h.array<float>("float", "observation_std", policy.observation_std, floats);
  }
  for (size_t l = 0; l < policy.layers.size(); ++l) {
    const DenseLayer& layer = policy.layers[l];
    const std::string name = "layer" + std::to_string(l);
    // Stored input-major ([inputs][outputs]): the inner loop then runs over
    // contiguous outputs, which compilers vectorize without reassociating sums.
    if (options.int8) {
      const QuantizedWeights quantized = quantize(layer);
      h.array<int8_t>("signed char", name + "_weight", transposed(quantized.values, layer),
                      [](int8_t q) { return std::to_string(q); });
      h.array<float>("float", name + "_scale", quantized.scales, floats);
    } else {
      h.array<float>("float", name + "_weight", transposed(layer.weight, layer), floats);
    }
    h.array<float>("float", name + "_bias", layer.bias, floats);
  }
  if (!discrete) {
    h.array<float>("float", "action_low", policy.action_low, floats);
    h.array<float>("float", "action_high", policy.action_high, floats);
  }

  // y = W x + b, then the hidden activation where one follows.
  const std::string weight_type = options.int8 ? "signed char" : "float";
  h.line("");
  h.line("static inline void " + p + "_dense(const " + weight_type + "* weight, " +
         (options.int8 ? "const float* scale, " : "") +
         "const float* bias, int inputs, int outputs, const float* x, float* y, int activated) {");
  h.line("  int o, i;");
  h.line("  for (o = 0; o < outputs; ++o) y[o] = 0.0f;");
  h.line("  for (i = 0; i < inputs; ++i) {");
  h.line("    const " + weight_type + "* column = weight + i * outputs;");
  h.line("    const float xi = x[i];");
  h.line("    for (o = 0; o < outputs; ++o) y[o] += column[o] * xi;");
  h.line("  }");
  h.line("  for (o = 0; o < outputs; ++o) {");
  h.line(options.int8 ? "    y[o] = bias[o] + scale[o] * y[o];" : "    y[o] = bias[o] + y[o];");
  if (policy.activation == "tanh")
    h.line("    if (activated) y[o] = tanhf(y[o]);");
  else
    h.line("    if (activated && y[o] < 0.0f) y[o] = 0.0f;");
  h.line("  }");
  h.line("}");
  h.line("");

  const std::string signature =
      discrete ? "static inline void " + p +
                     "_act_masked(const float* observation, const unsigned char* mask, "
                     "float* action) {"
               : "static inline void " + p + "_act(const float* observation, float* action) {";
  if (discrete)
    h.line(
        "/* mask: one byte per choice of every dimension, nonzero where allowed; NULL allows "
        "all. */");
  h.line(signature);
  h.line("  float a[" + std::to_string(widest) + "], b[" + std::to_string(widest) + "];");
  h.line("  float* x = a;");
  h.line("  float* y = b;");
  h.line("  float* swap;");
  h.line("  int i;");
  h.line("  for (i = 0; i < " + std::to_string(policy.observation_size) + "; ++i) {");
  if (policy.normalize_observations) {
    const std::string clip = c_float(policy.observation_clip);
    h.line("    float v = (observation[i] - " + p + "_observation_mean[i]) / " + p +
           "_observation_std[i];");
    h.line("    x[i] = v < -" + clip + " ? -" + clip + " : v > " + clip + " ? " + clip + " : v;");
  } else {
    h.line("    x[i] = observation[i];");
  }
  h.line("  }");
  for (size_t l = 0; l < policy.layers.size(); ++l) {
    const DenseLayer& layer = policy.layers[l];
    const std::string name = p + "_layer" + std::to_string(l);
    h.line("  " + p + "_dense(" + name + "_weight, " + (options.int8 ? name + "_scale, " : "") +
           name + "_bias, " + std::to_string(layer.inputs) + ", " + std::to_string(layer.outputs) +
           ", x, y, " + (layer.activated ? "1" : "0") + ");");
    h.line("  swap = x; x = y; y = swap;");
  }
  h.line("  (void)y;");
  if (discrete) {
    h.line("  /* The first best allowed choice of each dimension. */");
    int64_t offset = 0;
    for (size_t d = 0; d < policy.choices.size(); ++d) {
      const std::string first = std::to_string(offset);
      const std::string end = std::to_string(offset + policy.choices[d]);
      h.line("  {");
      h.line("    int best = -1, k;");
      h.line("    for (k = " + first + "; k < " + end + "; ++k)");
      h.line("      if ((!mask || mask[k]) && (best < 0 || x[k] > x[best])) best = k;");
      h.line("    action[" + std::to_string(d) + "] = (float)(best < 0 ? 0 : best - " + first +
             ");");
      h.line("  }");
      offset += policy.choices[d];
    }
    h.line("}");
    h.line("");
    h.line("static inline void " + p + "_act(const float* observation, float* action) {");
    h.line("  " + p + "_act_masked(observation, 0, action);");
  } else {
    h.line("  for (i = 0; i < " + std::to_string(policy.action_size()) + "; ++i)");
    h.line("    action[i] = x[i] < " + p + "_action_low[i] ? " + p + "_action_low[i] : x[i] > " +
           p + "_action_high[i] ? " + p + "_action_high[i] : x[i];");
  }
  h.line("}");
  h.line("");
  h.line("#endif /* " + guard + " */");
  return h.text();
}

}  // namespace twinrl
