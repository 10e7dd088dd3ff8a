// One converter per face-api net. Each reads `<net>-weights_manifest.json` from `model_dir`
// and writes its ONNX file(s) into `out_dir`. The file names and tensor contracts are in
// docs/MODELS.md; the runtime (src/face) relies on them.
#pragma once

#include <filesystem>

#include "facetag/status.h"

namespace facetag::convert {

Status ConvertRecognitionNet(const std::filesystem::path& model_dir, const std::filesystem::path& out_dir);
Status ConvertLandmarkNet(const std::filesystem::path& model_dir, const std::filesystem::path& out_dir);
Status ConvertSsdMobilenetV1(const std::filesystem::path& model_dir, const std::filesystem::path& out_dir);
Status ConvertTinyFaceDetector(const std::filesystem::path& model_dir, const std::filesystem::path& out_dir);

}  // namespace facetag::convert
