#include "nn/onnx_model.h"

#include <cstring>
#include <fstream>
#include <sstream>

namespace facetag::nn {
namespace {

// One level of a protobuf message: a cursor over (field, wire type, value) records.
class ProtoReader {
 public:
  explicit ProtoReader(std::string_view bytes) : p_(bytes) {}

  bool Done() const { return p_.empty(); }
  bool failed() const { return failed_; }

  // Reads the next key; false at the end or on damage (failed() tells which).
  bool Next(int& field, int& wire) {
    if (p_.empty()) return false;
    uint64_t key = 0;
    if (!Varint(key)) return false;
    field = static_cast<int>(key >> 3);
    wire = static_cast<int>(key & 7);
    return field > 0;
  }
  bool Varint(uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_.empty()) return Fail();
      const auto b = static_cast<uint8_t>(p_.front());
      p_.remove_prefix(1);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return true;
    }
    return Fail();
  }
  bool Bytes(std::string_view& out) {
    uint64_t n = 0;
    if (!Varint(n) || n > p_.size()) return Fail();
    out = p_.substr(0, n);
    p_.remove_prefix(n);
    return true;
  }
  bool Fixed32(float& f) {
    if (p_.size() < 4) return Fail();
    std::memcpy(&f, p_.data(), 4);  // little-endian hosts only, as the writer
    p_.remove_prefix(4);
    return true;
  }
  // Skips a field this reader does not need.
  bool Skip(int wire) {
    uint64_t v;
    std::string_view s;
    switch (wire) {
      case 0:
        return Varint(v);
      case 1:
        if (p_.size() < 8) return Fail();
        p_.remove_prefix(8);
        return true;
      case 2:
        return Bytes(s);
      case 5:
        if (p_.size() < 4) return Fail();
        p_.remove_prefix(4);
        return true;
      default:
        return Fail();
    }
  }

 private:
  bool Fail() {
    failed_ = true;
    return false;
  }
  std::string_view p_;
  bool failed_ = false;
};

// Repeated int64 fields may come unpacked (wire 0, what our writer emits) or packed (wire 2).
bool ReadInts(ProtoReader& r, int wire, std::vector<int64_t>& out) {
  if (wire == 0) {
    uint64_t v;
    if (!r.Varint(v)) return false;
    out.push_back(static_cast<int64_t>(v));
    return true;
  }
  std::string_view packed;
  if (wire != 2 || !r.Bytes(packed)) return false;
  ProtoReader p(packed);
  while (!p.Done()) {
    uint64_t v;
    if (!p.Varint(v)) return false;
    out.push_back(static_cast<int64_t>(v));
  }
  return true;
}

bool ReadFloats(ProtoReader& r, int wire, std::vector<float>& out) {
  if (wire == 5) {
    float f;
    if (!r.Fixed32(f)) return false;
    out.push_back(f);
    return true;
  }
  std::string_view packed;
  if (wire != 2 || !r.Bytes(packed) || packed.size() % 4 != 0) return false;
  const size_t n = packed.size() / 4;
  const size_t at = out.size();
  out.resize(at + n);
  std::memcpy(out.data() + at, packed.data(), packed.size());
  return true;
}

#define FACETAG_PROTO_CHECK(expr) \
  if (!(expr)) return false

bool ParseAttribute(std::string_view bytes, std::string& name, OnnxAttr& a) {
  ProtoReader r(bytes);
  int field, wire;
  while (r.Next(field, wire)) {
    std::string_view s;
    if (field == 1 && wire == 2) {
      FACETAG_PROTO_CHECK(r.Bytes(s));
      name.assign(s);
    } else if (field == 2 && wire == 5) {
      FACETAG_PROTO_CHECK(ReadFloats(r, wire, a.floats));
    } else if (field == 3 && wire == 0) {
      FACETAG_PROTO_CHECK(ReadInts(r, wire, a.ints));
    } else if (field == 4 && wire == 2) {
      FACETAG_PROTO_CHECK(r.Bytes(s));
      a.text.assign(s);
    } else if (field == 7) {
      FACETAG_PROTO_CHECK(ReadFloats(r, wire, a.floats));
    } else if (field == 8) {
      FACETAG_PROTO_CHECK(ReadInts(r, wire, a.ints));
    } else {
      FACETAG_PROTO_CHECK(r.Skip(wire));
    }
  }
  return !r.failed() && !name.empty();
}

bool ParseNode(std::string_view bytes, OnnxNode& n) {
  ProtoReader r(bytes);
  int field, wire;
  while (r.Next(field, wire)) {
    std::string_view s;
    if (wire == 2 && field >= 1 && field <= 5) {
      FACETAG_PROTO_CHECK(r.Bytes(s));
      if (field == 1) n.inputs.emplace_back(s);
      if (field == 2) n.outputs.emplace_back(s);
      if (field == 3) n.name.assign(s);
      if (field == 4) n.op_type.assign(s);
      if (field == 5) {
        std::string name;
        OnnxAttr a;
        FACETAG_PROTO_CHECK(ParseAttribute(s, name, a));
        n.attrs[name] = std::move(a);
      }
    } else {
      FACETAG_PROTO_CHECK(r.Skip(wire));
    }
  }
  return !r.failed() && !n.op_type.empty();
}

enum : int { kFloatType = 1, kInt64Type = 7 };

// A tensor's `count` elements into `out`: from raw_data when the tensor has it (little-endian, as
// on every host we build for), else from the typed list.
template <typename T>
bool TakeElements(bool has_raw, std::string_view raw, std::vector<T>& typed, size_t count,
                  std::vector<T>& out) {
  if (has_raw) {
    if (raw.size() != count * sizeof(T)) return false;
    out.resize(count);
    std::memcpy(out.data(), raw.data(), raw.size());
  } else {
    out = std::move(typed);
  }
  return out.size() == count;
}

bool ParseTensor(std::string_view bytes, std::string& name, OnnxTensor& t) {
  ProtoReader r(bytes);
  int field, wire;
  int64_t data_type = 0;
  std::string_view raw;
  bool has_raw = false;
  std::vector<float> float_data;
  std::vector<int64_t> int64_data;
  while (r.Next(field, wire)) {
    std::string_view s;
    uint64_t v;
    if (field == 1) {
      FACETAG_PROTO_CHECK(ReadInts(r, wire, t.dims));
    } else if (field == 2 && wire == 0) {
      FACETAG_PROTO_CHECK(r.Varint(v));
      data_type = static_cast<int64_t>(v);
    } else if (field == 4) {
      FACETAG_PROTO_CHECK(ReadFloats(r, wire, float_data));
    } else if (field == 7) {
      FACETAG_PROTO_CHECK(ReadInts(r, wire, int64_data));
    } else if (field == 8 && wire == 2) {
      FACETAG_PROTO_CHECK(r.Bytes(s));
      name.assign(s);
    } else if (field == 9 && wire == 2) {
      FACETAG_PROTO_CHECK(r.Bytes(raw));
      has_raw = true;
    } else {
      FACETAG_PROTO_CHECK(r.Skip(wire));
    }
  }
  if (r.failed() || name.empty()) return false;
  size_t count = 1;
  for (int64_t d : t.dims) {
    if (d < 0) return false;
    count *= static_cast<size_t>(d);
  }
  if (data_type == kFloatType) return TakeElements(has_raw, raw, float_data, count, t.floats);
  if (data_type == kInt64Type) {
    t.is_int64 = true;
    return TakeElements(has_raw, raw, int64_data, count, t.int64s);
  }
  return false;  // other element types are outside the subset
}

// Calls `visit` with every length-delimited field `number` of the message in `bytes` (other
// fields are skipped); false when the message is damaged or `visit` returns false.
template <typename Visit>
bool ForEachMessage(std::string_view bytes, int number, const Visit& visit) {
  ProtoReader r(bytes);
  int field, wire;
  while (r.Next(field, wire)) {
    if (field != number || wire != 2) {
      FACETAG_PROTO_CHECK(r.Skip(wire));
      continue;
    }
    std::string_view message;
    FACETAG_PROTO_CHECK(r.Bytes(message));
    FACETAG_PROTO_CHECK(visit(message));
  }
  return !r.failed();
}

// ValueInfoProto -> name and dims (type.tensor_type.shape.dim[].dim_value, -1 for dim_param).
bool ParseValueInfo(std::string_view bytes, OnnxValueInfo& v) {
  ProtoReader r(bytes);
  int field, wire;
  while (r.Next(field, wire)) {
    std::string_view s;
    if (field == 1 && wire == 2) {
      FACETAG_PROTO_CHECK(r.Bytes(s));
      v.name.assign(s);
    } else if (field == 2 && wire == 2) {
      FACETAG_PROTO_CHECK(r.Bytes(s));
      // TypeProto.tensor_type (1) -> TypeShapeProto.shape (2) -> dim (1) -> dim_value (0: varint).
      FACETAG_PROTO_CHECK(ForEachMessage(s, 1, [&](std::string_view tensor_type) {
        return ForEachMessage(tensor_type, 2, [&](std::string_view shape) {
          return ForEachMessage(shape, 1, [&](std::string_view dim) {
            ProtoReader d(dim);
            int f, w;
            int64_t value = -1;
            while (d.Next(f, w)) {
              uint64_t u;
              if (f == 1 && w == 0) {
                FACETAG_PROTO_CHECK(d.Varint(u));
                value = static_cast<int64_t>(u);
              } else {
                FACETAG_PROTO_CHECK(d.Skip(w));
              }
            }
            v.dims.push_back(value);
            return !d.failed();
          });
        });
      }));
    } else {
      FACETAG_PROTO_CHECK(r.Skip(wire));
    }
  }
  return !r.failed() && !v.name.empty();
}

bool ParseGraph(std::string_view bytes, OnnxModel& m) {
  ProtoReader r(bytes);
  int field, wire;
  std::vector<OnnxValueInfo> inputs;
  while (r.Next(field, wire)) {
    std::string_view s;
    if (wire != 2) {
      FACETAG_PROTO_CHECK(r.Skip(wire));
      continue;
    }
    FACETAG_PROTO_CHECK(r.Bytes(s));
    if (field == 1) {
      OnnxNode n;
      FACETAG_PROTO_CHECK(ParseNode(s, n));
      m.nodes.push_back(std::move(n));
    } else if (field == 5) {
      std::string name;
      OnnxTensor t;
      FACETAG_PROTO_CHECK(ParseTensor(s, name, t));
      m.initializers[name] = std::move(t);
    } else if (field == 11 || field == 12) {
      OnnxValueInfo v;
      FACETAG_PROTO_CHECK(ParseValueInfo(s, v));
      (field == 11 ? inputs : m.outputs).push_back(std::move(v));
    }
  }
  if (r.failed()) return false;
  // Older ONNX lists initializers among the graph inputs too; those are not real inputs.
  for (auto& v : inputs) {
    if (!m.initializers.count(v.name)) m.inputs.push_back(std::move(v));
  }
  return true;
}

}  // namespace

int64_t OnnxNode::Int(const std::string& attr, int64_t fallback) const {
  auto it = attrs.find(attr);
  return it == attrs.end() || it->second.ints.empty() ? fallback : it->second.ints[0];
}

float OnnxNode::Float(const std::string& attr, float fallback) const {
  auto it = attrs.find(attr);
  return it == attrs.end() || it->second.floats.empty() ? fallback : it->second.floats[0];
}

std::vector<int64_t> OnnxNode::Ints(const std::string& attr) const {
  auto it = attrs.find(attr);
  return it == attrs.end() ? std::vector<int64_t>{} : it->second.ints;
}

std::string OnnxNode::Text(const std::string& attr, const std::string& fallback) const {
  auto it = attrs.find(attr);
  return it == attrs.end() ? fallback : it->second.text;
}

Result<OnnxModel> ParseOnnxModel(std::string_view bytes) {
  OnnxModel m;
  ProtoReader r(bytes);
  int field, wire;
  bool has_graph = false;
  while (r.Next(field, wire)) {
    std::string_view s;
    if (field == 7 && wire == 2) {
      if (!r.Bytes(s) || !ParseGraph(s, m)) return Corrupt("ONNX graph does not parse");
      has_graph = true;
    } else if (field == 8 && wire == 2) {
      if (!r.Bytes(s)) break;
      ProtoReader op(s);
      int f, w;
      std::string_view domain;
      uint64_t version = 0;
      while (op.Next(f, w)) {
        if (f == 1 && w == 2) {
          if (!op.Bytes(domain)) break;
        } else if (f == 2 && w == 0) {
          if (!op.Varint(version)) break;
        } else if (!op.Skip(w)) {
          break;
        }
      }
      if (op.failed()) return Corrupt("ONNX opset_import does not parse");
      if (domain.empty() || domain == "ai.onnx") m.opset = static_cast<int64_t>(version);
    } else if (!r.Skip(wire)) {
      break;
    }
  }
  if (r.failed()) return Corrupt("ONNX model does not parse (damaged protobuf)");
  if (!has_graph || m.nodes.empty()) return Corrupt("ONNX model has no graph");
  if (m.inputs.size() != 1) return Unsupported("ONNX model must have exactly one input");
  return m;
}

Result<OnnxModel> ReadOnnxModel(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return NotFound("model file " + path.string() + " is missing (run scripts/setup.sh)");
  }
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  if (!f) return IoError("cannot read " + path.string());
  auto m = ParseOnnxModel(ss.str());
  if (!m.ok()) return Status(m.status().code(), path.string() + ": " + m.status().message());
  return m;
}

}  // namespace facetag::nn
