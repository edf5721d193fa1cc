#include "agents/export/onnx_export.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <limits>
#include <stdexcept>

#include "rundir/atomic_file.h"

namespace twinrl {
namespace {

class GraphBuilder {
 public:
  explicit GraphBuilder(onnx::GraphProto& graph) : graph_(graph) {}

  // A float32 constant of the given shape; returns its name.
  std::string constant(const std::string& name, const std::vector<float>& values,
                       const std::vector<int64_t>& shape) {
    onnx::TensorProto& tensor = *graph_.add_initializer();
    tensor.set_name(name);
    tensor.set_data_type(onnx::TensorProto_DataType_FLOAT);
    for (int64_t dim : shape) tensor.add_dims(dim);
    for (float value : values) tensor.add_float_data(value);
    return name;
  }
  std::string int64_constant(const std::string& name, int64_t value) {
    onnx::TensorProto& tensor = *graph_.add_initializer();
    tensor.set_name(name);
    tensor.set_data_type(onnx::TensorProto_DataType_INT64);
    tensor.add_dims(1);
    tensor.add_int64_data(value);
    return name;
  }

  // Adds a node of `op` and returns its (single) output's name.
  std::string node(const std::string& op, const std::vector<std::string>& inputs,
                   const std::vector<std::pair<std::string, int64_t>>& attributes = {}) {
    onnx::NodeProto& node = *graph_.add_node();
    const std::string output = op + "_" + std::to_string(graph_.node_size());
    node.set_op_type(op);
    node.set_name(output);
    for (const std::string& input : inputs) node.add_input(input);
    node.add_output(output);
    for (const auto& [name, value] : attributes) {
      onnx::AttributeProto& attribute = *node.add_attribute();
      attribute.set_name(name);
      attribute.set_type(onnx::AttributeProto_AttributeType_INT);
      attribute.set_i(value);
    }
    return output;
  }

  void value_info(onnx::ValueInfoProto& info, const std::string& name, int element_type,
                  int64_t size) {
    info.set_name(name);
    onnx::TypeProto_Tensor& tensor = *info.mutable_type()->mutable_tensor_type();
    tensor.set_elem_type(element_type);
    tensor.mutable_shape()->add_dim()->set_dim_param("batch");
    tensor.mutable_shape()->add_dim()->set_dim_value(size);
  }

 private:
  onnx::GraphProto& graph_;
};

}  // namespace

void write_onnx(const ExportedPolicy& policy, const std::string& producer_version,
                const std::filesystem::path& path) {
  onnx::ModelProto model;
  model.set_ir_version(onnx::IR_VERSION);
  model.set_producer_name("twinrl");
  model.set_producer_version(producer_version);
  onnx::OperatorSetIdProto& opset = *model.add_opset_import();
  opset.set_domain("");
  opset.set_version(kOnnxOpset);
  onnx::GraphProto& graph = *model.mutable_graph();
  graph.set_name("twinrl_policy");
  GraphBuilder g(graph);
  g.value_info(*graph.add_input(), "observation", onnx::TensorProto_DataType_FLOAT,
               policy.observation_size);

  std::string x = "observation";
  if (policy.normalize_observations) {
    const int64_t n = policy.observation_size;
    x = g.node("Sub", {x, g.constant("observation_mean", policy.observation_mean, {n})});
    x = g.node("Div", {x, g.constant("observation_std", policy.observation_std, {n})});
    x = g.node("Clip", {x, g.constant("clip_low", {-policy.observation_clip}, {}),
                        g.constant("clip_high", {policy.observation_clip}, {})});
  }
  for (size_t l = 0; l < policy.layers.size(); ++l) {
    const DenseLayer& layer = policy.layers[l];
    const std::string name = "layer" + std::to_string(l);
    x = g.node("Gemm",
               {x, g.constant(name + "_weight", layer.weight, {layer.outputs, layer.inputs}),
                g.constant(name + "_bias", layer.bias, {layer.outputs})},
               {{"transB", 1}});
    if (layer.activated) x = g.node(policy.activation == "tanh" ? "Tanh" : "Relu", {x});
  }

  int element_type = onnx::TensorProto_DataType_FLOAT;
  if (policy.rule == ActionRule::kClippedMean) {
    const int64_t n = policy.action_size();
    x = g.node("Min", {x, g.constant("action_high", policy.action_high, {n})});
    x = g.node("Max", {x, g.constant("action_low", policy.action_low, {n})});
  } else {
    element_type = onnx::TensorProto_DataType_INT64;
    if (policy.action_mask) {
      // Forbidden choices score the lowest float, so no allowed choice loses to them.
      g.value_info(*graph.add_input(), "action_mask", onnx::TensorProto_DataType_BOOL,
                   policy.output_size());
      x = g.node("Where",
                 {"action_mask", x,
                  g.constant("forbidden_score", {std::numeric_limits<float>::lowest()}, {})});
    }
    std::vector<std::string> per_dimension;
    const std::string axis = policy.choices.size() > 1 ? g.int64_constant("axis_1", 1) : "";
    int64_t offset = 0;
    for (size_t d = 0; d < policy.choices.size(); ++d) {
      std::string scores = x;
      if (policy.choices.size() > 1) {
        const std::string dimension = "dimension" + std::to_string(d);
        scores = g.node("Slice",
                        {x, g.int64_constant(dimension + "_start", offset),
                         g.int64_constant(dimension + "_end", offset + policy.choices[d]), axis});
      }
      per_dimension.push_back(g.node("ArgMax", {scores}, {{"axis", 1}, {"keepdims", 1}}));
      offset += policy.choices[d];
    }
    x = per_dimension.size() == 1 ? per_dimension.front()
                                  : g.node("Concat", per_dimension, {{"axis", 1}});
  }
  // The last node's output is the graph's output, "action".
  graph.mutable_node(graph.node_size() - 1)->set_output(0, "action");
  g.value_info(*graph.add_output(), "action", element_type, policy.action_size());

  try {
    onnx::checker::check_model(model);
  } catch (const std::exception& error) {
    throw std::runtime_error(std::string("ONNX checker rejected the exported model: ") +
                             error.what());
  }
  std::string bytes;
  model.SerializeToString(&bytes);
  write_file_atomically(path, bytes);
}

}  // namespace twinrl
