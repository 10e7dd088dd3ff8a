#include "faceapi_weights.h"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace facetag::convert {
namespace {

Result<std::string> ReadAll(const std::filesystem::path& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return NotFound("cannot open " + path.string());
  return std::string(std::istreambuf_iterator<char>(f), {});
}

}  // namespace

Result<FaceApiWeights> FaceApiWeights::Load(const std::filesystem::path& model_dir, const std::string& net) {
  auto manifest_text = ReadAll(model_dir / (net + "-weights_manifest.json"));
  if (!manifest_text.ok()) return manifest_text.status();
  nlohmann::json manifest;
  try {
    manifest = nlohmann::json::parse(*manifest_text);
  } catch (const nlohmann::json::exception& e) {
    return Corrupt(net + " manifest: " + e.what());
  }

  FaceApiWeights weights;
  try {
    for (const auto& group : manifest) {
      std::string data;
      for (const auto& shard : group.at("paths")) {
        auto bytes = ReadAll(model_dir / shard.get<std::string>());
        if (!bytes.ok()) return bytes.status();
        data += *bytes;
      }
      size_t offset = 0;
      for (const auto& w : group.at("weights")) {
        WeightTensor t;
        t.shape = w.at("shape").get<std::vector<int>>();
        size_t count = 1;
        for (int d : t.shape) count *= static_cast<size_t>(d);
        t.values.resize(count);
        const std::string dtype = w.at("dtype").get<std::string>();
        if (w.contains("quantization")) {
          const auto& q = w.at("quantization");
          if (q.at("dtype") != "uint8") return Unsupported(net + ": quantization " + q.at("dtype").dump());
          const double scale = q.at("scale").get<double>();
          const double min = q.at("min").get<double>();
          if (offset + count > data.size()) return Corrupt(net + ": weights shorter than the manifest says");
          for (size_t i = 0; i < count; ++i) {
            const auto byte = static_cast<uint8_t>(data[offset + i]);
            t.values[i] = static_cast<float>(byte * scale + min);
          }
          offset += count;
        } else if (dtype == "float32" || dtype == "int32") {
          if (offset + 4 * count > data.size())
            return Corrupt(net + ": weights shorter than the manifest says");
          for (size_t i = 0; i < count; ++i) {
            if (dtype == "float32") {
              std::memcpy(&t.values[i], data.data() + offset + 4 * i, 4);
            } else {
              int32_t v;
              std::memcpy(&v, data.data() + offset + 4 * i, 4);
              t.values[i] = static_cast<float>(v);
            }
          }
          offset += 4 * count;
        } else {
          return Unsupported(net + ": weight dtype " + dtype);
        }
        const std::string name = w.at("name").get<std::string>();
        weights.names_.push_back(name);
        weights.tensors_[name] = std::move(t);
      }
      if (offset != data.size()) return Corrupt(net + ": weights longer than the manifest says");
    }
  } catch (const nlohmann::json::exception& e) {
    return Corrupt(net + " manifest: " + e.what());
  }
  return weights;
}

const WeightTensor& FaceApiWeights::Get(const std::string& name) const {
  auto it = tensors_.find(name);
  if (it == tensors_.end()) throw std::out_of_range("face-api weight missing: " + name);
  return it->second;
}

}  // namespace facetag::convert
