// face-api.js's 68-point landmark net (FaceLandmark68Net) behind Landmarker.
#pragma once

#include <filesystem>
#include <memory>

#include "face/landmarker.h"
#include "nn/session.h"

namespace facetag::face {

// Opens `<model_dir>/face_landmark_68.onnx` (written by facetag-convert).
//
// Locate() reproduces face-api's DetectAllFaceLandmarksTasks: each detection box is cropped as
// FaceApiCrop does, padded to a centred square, resized to 112 x 112 and normalised; all boxes of
// one call run batched (at most 16 per net run). The 136 outputs are mapped back as face-api's
// postProcess does (x 112, minus half the scaled size difference, divided by the scaled crop
// size, times the crop size) and shifted by the box's unrounded origin, as face-api does.
// A box that does not overlap the image is an InvalidArgument error (face-api drops it).
Result<std::unique_ptr<Landmarker>> OpenFaceApiLandmarker(const std::filesystem::path& model_dir,
                                                          nn::Backend backend = nn::Backend::kOpenCv,
                                                          int shards = 1,
                                                          nn::Precision precision = nn::Precision::kF32,
                                                          int threads = 0);

}  // namespace facetag::face
