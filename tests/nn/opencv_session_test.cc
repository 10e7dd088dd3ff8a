// The OpenCV DNN backend: clear errors for missing or broken model files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "nn/session.h"

namespace facetag::nn {
namespace {

TEST(OpenCvSession, MissingModelIsNotFoundAndSaysHowToFixIt) {
  auto s = OpenSession(Backend::kOpenCv, "/nonexistent/face_recognition.onnx", {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(s.status().message().find("setup"), std::string::npos) << s.status().message();
}

TEST(OpenCvSession, GarbageModelIsCorruptNotACrash) {
  const auto path = std::filesystem::temp_directory_path() / "facetag-garbage.onnx";
  std::ofstream(path) << "definitely not a protobuf";
  auto s = OpenSession(Backend::kOpenCv, path, {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::kCorrupt);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace facetag::nn
