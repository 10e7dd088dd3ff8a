// Reads a face-api.js (tfjs) weights manifest and its .bin shards, dequantising uint8 weights.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "facetag/status.h"

namespace facetag::convert {

struct WeightTensor {
  std::vector<int> shape;     // as in the manifest (tfjs layout, e.g. [kh, kw, in, out])
  std::vector<float> values;  // dequantised; int32 tensors are stored as their float values
};

class FaceApiWeights {
 public:
  // Loads `<model_dir>/<net>-weights_manifest.json` and the shards it names.
  static Result<FaceApiWeights> Load(const std::filesystem::path& model_dir, const std::string& net);

  bool Has(const std::string& name) const { return tensors_.count(name) != 0; }
  // The named tensor; a missing name is a converter bug or a wrong package, so it throws.
  const WeightTensor& Get(const std::string& name) const;
  const std::vector<std::string>& names() const { return names_; }  // manifest order

 private:
  std::map<std::string, WeightTensor> tensors_;
  std::vector<std::string> names_;
};

}  // namespace facetag::convert
