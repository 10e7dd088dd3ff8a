#include "onnx_writer.h"

#include <cstring>
#include <fstream>

namespace facetag::convert {
namespace {

// Protobuf wire format, just what ONNX needs (onnx.proto is proto2: repeated scalars unpacked).
class ProtoWriter {
 public:
  void Varint(int field, uint64_t v) {
    Key(field, 0);
    Raw(v);
  }
  void Bytes(int field, const std::string& bytes) {
    Key(field, 2);
    Raw(bytes.size());
    out_ += bytes;
  }
  void Fixed32(int field, float f) {
    Key(field, 5);
    char b[4];
    std::memcpy(b, &f, 4);  // little-endian hosts only, as is every platform we build on
    out_.append(b, 4);
  }
  const std::string& str() const { return out_; }

 private:
  void Key(int field, int wire) { Raw((static_cast<uint64_t>(field) << 3) | wire); }
  void Raw(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  std::string out_;
};

// Field numbers and enums from onnx.proto.
enum : int { kFloatType = 1, kInt64Type = 7 };

std::string EncodeValueInfo(const std::string& name, const std::vector<int64_t>& dims) {
  ProtoWriter shape;
  for (int64_t d : dims) {
    ProtoWriter dim;
    if (d < 0) {
      dim.Bytes(2, "N");  // dim_param
    } else {
      dim.Varint(1, static_cast<uint64_t>(d));  // dim_value
    }
    shape.Bytes(1, dim.str());
  }
  ProtoWriter tensor_type;
  tensor_type.Varint(1, kFloatType);  // elem_type
  tensor_type.Bytes(2, shape.str());
  ProtoWriter type;
  type.Bytes(1, tensor_type.str());
  ProtoWriter info;
  info.Bytes(1, name);
  info.Bytes(2, type.str());
  return info.str();
}

std::string EncodeAttribute(const OnnxAttribute& a) {
  ProtoWriter w;
  w.Bytes(1, a.name);
  switch (a.kind) {
    case OnnxAttribute::Kind::kInt:
      w.Varint(3, static_cast<uint64_t>(a.ints.at(0)));
      w.Varint(20, 2);
      break;
    case OnnxAttribute::Kind::kInts:
      for (int64_t v : a.ints) w.Varint(8, static_cast<uint64_t>(v));
      w.Varint(20, 7);
      break;
    case OnnxAttribute::Kind::kFloat:
      w.Fixed32(2, a.floats.at(0));
      w.Varint(20, 1);
      break;
    case OnnxAttribute::Kind::kFloats:
      for (float v : a.floats) w.Fixed32(7, v);
      w.Varint(20, 6);
      break;
    case OnnxAttribute::Kind::kString:
      w.Bytes(4, a.text);
      w.Varint(20, 3);
      break;
  }
  return w.str();
}

}  // namespace

void OnnxGraph::AddInput(const std::string& name, std::vector<int64_t> dims) {
  inputs_.push_back({name, std::move(dims)});
}

void OnnxGraph::AddOutput(const std::string& name, std::vector<int64_t> dims) {
  outputs_.push_back({name, std::move(dims)});
}

std::string OnnxGraph::AddFloats(const std::string& name, std::vector<int64_t> dims,
                                 std::vector<float> values) {
  initializers_.push_back({name, std::move(dims), std::move(values), {}, false});
  return name;
}

std::string OnnxGraph::AddInt64s(const std::string& name, std::vector<int64_t> dims,
                                 std::vector<int64_t> values) {
  initializers_.push_back({name, std::move(dims), {}, std::move(values), true});
  return name;
}

std::string OnnxGraph::AddNode(const std::string& op_type, std::vector<std::string> inputs,
                               std::vector<OnnxAttribute> attributes, std::string output) {
  const std::string node_name = op_type + "_" + std::to_string(next_id_++);
  if (output.empty()) output = node_name;
  nodes_.push_back({op_type, node_name, std::move(inputs), {output}, std::move(attributes)});
  return output;
}

std::string OnnxGraph::Serialize(int64_t opset) const {
  ProtoWriter graph;
  for (const Node& n : nodes_) {
    ProtoWriter node;
    for (const auto& in : n.inputs) node.Bytes(1, in);
    for (const auto& out : n.outputs) node.Bytes(2, out);
    node.Bytes(3, n.name);
    node.Bytes(4, n.op_type);
    for (const auto& a : n.attributes) node.Bytes(5, EncodeAttribute(a));
    graph.Bytes(1, node.str());
  }
  graph.Bytes(2, name_);
  for (const Tensor& t : initializers_) {
    ProtoWriter tensor;
    for (int64_t d : t.dims) tensor.Varint(1, static_cast<uint64_t>(d));
    tensor.Varint(2, t.is_int64 ? kInt64Type : kFloatType);
    tensor.Bytes(8, t.name);
    std::string raw;
    if (t.is_int64) {
      raw.assign(reinterpret_cast<const char*>(t.int64s.data()), t.int64s.size() * sizeof(int64_t));
    } else {
      raw.assign(reinterpret_cast<const char*>(t.floats.data()), t.floats.size() * sizeof(float));
    }
    tensor.Bytes(9, raw);
    graph.Bytes(5, tensor.str());
  }
  for (const auto& v : inputs_) graph.Bytes(11, EncodeValueInfo(v.name, v.dims));
  for (const auto& v : outputs_) graph.Bytes(12, EncodeValueInfo(v.name, v.dims));

  ProtoWriter opset_id;
  opset_id.Bytes(1, "");
  opset_id.Varint(2, static_cast<uint64_t>(opset));

  ProtoWriter model;
  model.Varint(1, 5);  // ir_version 5 goes with opset 10
  model.Bytes(2, "facetag-convert");
  model.Bytes(7, graph.str());
  model.Bytes(8, opset_id.str());
  return model.str();
}

Status OnnxGraph::Write(const std::filesystem::path& path, int64_t opset) const {
  const std::string bytes = Serialize(opset);
  // Write beside the target and rename, so a crash never leaves a half-written model behind.
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return IoError("cannot write " + tmp.string());
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!f) return IoError("cannot write " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return IoError("cannot rename " + tmp.string() + ": " + ec.message());
  return Status::Ok();
}

}  // namespace facetag::convert
