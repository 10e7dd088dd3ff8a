// face-api.js's face recognition net (ResNet-29, 128-D descriptors) behind FaceEmbedder.
#pragma once

#include <filesystem>
#include <memory>

#include "face/embedder.h"
#include "nn/session.h"

namespace facetag::face {

// Opens `<model_dir>/face_recognition.onnx` (written by facetag-convert).
//
// Embed() reproduces face-api's computeFaceDescriptor on extractFaceTensors output: each region is
// cropped as FaceApiCrop does, padded to a centred square, resized to 150 x 150 with TF's legacy
// bilinear and normalised; all regions of one call run batched (at most 16 per net run).
// Descriptors are face-api's raw ones (length about 1.5); kMatchDistance (known_faces.h) judges them.
// A region that does not overlap the image is an InvalidArgument error.
Result<std::unique_ptr<FaceEmbedder>> OpenFaceApiEmbedder(const std::filesystem::path& model_dir,
                                                          nn::Backend backend = nn::Backend::kOpenCv,
                                                          int shards = 1,
                                                          nn::Precision precision = nn::Precision::kF32,
                                                          int threads = 0);

}  // namespace facetag::face
