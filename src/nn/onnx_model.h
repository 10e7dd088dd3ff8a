// Reads the ONNX files that tools/convert writes: a ModelProto with one graph of nodes,
// float/int64 initializers and typed inputs/outputs (the subset tools/convert/onnx_writer.h
// emits). The protobuf wire format is parsed by hand, so no protobuf library or generated code
// is needed; anything outside the subset is skipped or reported, never guessed at.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "facetag/status.h"

namespace facetag::nn {

struct OnnxAttr {
  std::vector<int64_t> ints;  // INT (one value) or INTS
  std::vector<float> floats;  // FLOAT (one value) or FLOATS
  std::string text;           // STRING
};

struct OnnxNode {
  std::string op_type;
  std::string name;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  std::map<std::string, OnnxAttr> attrs;

  bool Has(const std::string& attr) const { return attrs.count(attr) != 0; }
  int64_t Int(const std::string& attr, int64_t fallback) const;
  float Float(const std::string& attr, float fallback) const;
  std::vector<int64_t> Ints(const std::string& attr) const;  // empty when absent
  std::string Text(const std::string& attr, const std::string& fallback) const;
};

struct OnnxTensor {
  std::vector<int64_t> dims;
  std::vector<float> floats;    // FLOAT tensors
  std::vector<int64_t> int64s;  // INT64 tensors
  bool is_int64 = false;
};

struct OnnxValueInfo {
  std::string name;
  std::vector<int64_t> dims;  // -1 for a symbolic dimension
};

struct OnnxModel {
  int64_t opset = 0;
  std::vector<OnnxNode> nodes;  // in topological order, as ONNX requires
  std::map<std::string, OnnxTensor> initializers;
  std::vector<OnnxValueInfo> inputs;  // graph inputs that are not initializers
  std::vector<OnnxValueInfo> outputs;
};

// Parses serialized ModelProto bytes. Errors are kCorrupt.
Result<OnnxModel> ParseOnnxModel(std::string_view bytes);
// Reads and parses a file: kNotFound when it is missing, kCorrupt when it does not parse.
Result<OnnxModel> ReadOnnxModel(const std::filesystem::path& path);

}  // namespace facetag::nn
