// Builds an ONNX graph in memory and writes it as a ModelProto. Only the part of ONNX that the
// converter needs: float/int64 initializers, nodes with int/float/string attributes, typed
// inputs and outputs. The protobuf encoding is done by hand, so the converter needs no protoc.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "facetag/status.h"

namespace facetag::convert {

struct OnnxAttribute {
  enum class Kind { kInt, kInts, kFloat, kFloats, kString };
  std::string name;
  Kind kind = Kind::kInt;
  std::vector<int64_t> ints;
  std::vector<float> floats;
  std::string text;

  static OnnxAttribute Int(std::string name, int64_t v) { return {std::move(name), Kind::kInt, {v}, {}, {}}; }
  static OnnxAttribute Ints(std::string name, std::vector<int64_t> v) {
    return {std::move(name), Kind::kInts, std::move(v), {}, {}};
  }
  static OnnxAttribute Float(std::string name, float v) {
    return {std::move(name), Kind::kFloat, {}, {v}, {}};
  }
  static OnnxAttribute Floats(std::string name, std::vector<float> v) {
    return {std::move(name), Kind::kFloats, {}, std::move(v), {}};
  }
  static OnnxAttribute String(std::string name, std::string v) {
    return {std::move(name), Kind::kString, {}, {}, std::move(v)};
  }
};

class OnnxGraph {
 public:
  explicit OnnxGraph(std::string name) : name_(std::move(name)) {}

  // Graph inputs/outputs are float tensors; a negative dimension becomes the symbolic "N".
  void AddInput(const std::string& name, std::vector<int64_t> dims);
  void AddOutput(const std::string& name, std::vector<int64_t> dims);

  // Initializers (constant tensors). Return their name for use as node inputs.
  std::string AddFloats(const std::string& name, std::vector<int64_t> dims, std::vector<float> values);
  std::string AddInt64s(const std::string& name, std::vector<int64_t> dims, std::vector<int64_t> values);

  // Adds a node whose single output is named `output` (or "<op_type>_<n>" when empty); returns it.
  std::string AddNode(const std::string& op_type, std::vector<std::string> inputs,
                      std::vector<OnnxAttribute> attributes = {}, std::string output = "");

  // Serialises the model (opset as given, default domain) to `path`.
  Status Write(const std::filesystem::path& path, int64_t opset = 10) const;
  // The serialised bytes, for tests.
  std::string Serialize(int64_t opset = 10) const;

 private:
  struct Tensor {
    std::string name;
    std::vector<int64_t> dims;
    std::vector<float> floats;
    std::vector<int64_t> int64s;
    bool is_int64 = false;
  };
  struct Node {
    std::string op_type, name;
    std::vector<std::string> inputs, outputs;
    std::vector<OnnxAttribute> attributes;
  };
  struct ValueInfo {
    std::string name;
    std::vector<int64_t> dims;
  };

  std::string name_;
  std::vector<Tensor> initializers_;
  std::vector<Node> nodes_;
  std::vector<ValueInfo> inputs_, outputs_;
  int next_id_ = 0;
};

}  // namespace facetag::convert
