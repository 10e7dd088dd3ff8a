// facetag-convert: turns face-api.js model files into ONNX (opset 10) for facetag's runtime.
// usage: facetag-convert MODEL_DIR OUT_DIR
#include <cstdio>
#include <exception>
#include <filesystem>

#include "nets.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr,
                 "usage: facetag-convert MODEL_DIR OUT_DIR\n"
                 "  MODEL_DIR: the model/ folder of @vladmandic/face-api\n");
    return 2;
  }
  const std::filesystem::path model_dir = argv[1], out_dir = argv[2];
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) {
    std::fprintf(stderr, "facetag-convert: cannot create %s: %s\n", out_dir.c_str(), ec.message().c_str());
    return 1;
  }
  using Converter = facetag::Status (*)(const std::filesystem::path&, const std::filesystem::path&);
  const struct {
    const char* name;
    Converter convert;
  } nets[] = {
      {"face_recognition", facetag::convert::ConvertRecognitionNet},
      {"face_landmark_68", facetag::convert::ConvertLandmarkNet},
      {"ssd_mobilenetv1", facetag::convert::ConvertSsdMobilenetV1},
      {"tiny_face_detector", facetag::convert::ConvertTinyFaceDetector},
  };
  for (const auto& net : nets) {
    facetag::Status s;
    try {
      s = net.convert(model_dir, out_dir);
    } catch (const std::exception& e) {
      s = facetag::Internal(e.what());
    }
    if (!s.ok()) {
      std::fprintf(stderr, "facetag-convert: %s: %s\n", net.name, s.ToString().c_str());
      return 1;
    }
    std::printf("converted %s\n", net.name);
  }
  return 0;
}
