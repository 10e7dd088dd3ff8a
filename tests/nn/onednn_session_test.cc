// The oneDNN backend against the OpenCV DNN backend (the reference) on every converted net, on
// real photos: same outputs up to float rounding, per net, across batch sizes, sharded or not.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "nn/onnx_model.h"
#include "nn/session.h"
#include "support/reference.h"
#include "support/test_env.h"

namespace facetag::nn {
namespace {

// An RGB photo resized to size x size (OpenCV bilinear: both backends see the same pixels, so
// face-api's resize does not matter here) as NCHW planes (pixel - mean) * scale.
void AppendPlanes(const Image& image, int size, const float mean[3], float scale, Tensor& t) {
  cv::Mat rgb(image.height, image.width, CV_8UC3, const_cast<uint8_t*>(image.rgb.data()));
  cv::Mat resized;
  cv::resize(rgb, resized, cv::Size(size, size), 0, 0, cv::INTER_LINEAR);
  for (int c = 0; c < 3; ++c) {
    for (int y = 0; y < size; ++y) {
      const uint8_t* row = resized.ptr<uint8_t>(y);
      for (int x = 0; x < size; ++x) t.data.push_back((row[x * 3 + c] - mean[c]) * scale);
    }
  }
}

Tensor Batch(const std::vector<std::string>& files, int size, const float mean[3], float scale) {
  Tensor t;
  t.shape = {static_cast<int>(files.size()), 3, size, size};
  for (const auto& f : files) AppendPlanes(testing::LoadReferenceImage(f), size, mean, scale, t);
  return t;
}

std::vector<std::string> Crops(size_t n) {
  const auto reference = testing::LoadReference("crops.jsonl");
  std::vector<std::string> files;
  for (size_t i = 0; i < n && i < reference.size(); ++i) files.push_back(reference[i].file);
  return files;
}

const float kFaceMean[3] = {122.782f, 117.001f, 104.298f};
const float kTinyMean[3] = {117.001f, 114.697f, 97.404f};
const float kSsdMean[3] = {127.5f, 127.5f, 127.5f};

// Runs both backends on `input`; returns the largest absolute difference over all outputs.
double MaxDiff(const std::string& model, const std::vector<std::string>& outputs, const Tensor& input,
               int shards = 1) {
  const auto path = testing::ModelDirOrFail() / model;
  auto reference = OpenSession(Backend::kOpenCv, path, {outputs, 1});
  auto onednn = OpenSession(Backend::kOneDnn, path, {outputs, shards});
  EXPECT_TRUE(reference.ok()) << reference.status().ToString();
  EXPECT_TRUE(onednn.ok()) << onednn.status().ToString();
  if (!reference.ok() || !onednn.ok()) return 1e9;
  auto want = (*reference)->Run(input);
  auto got = (*onednn)->Run(input);
  EXPECT_TRUE(want.ok()) << want.status().ToString();
  EXPECT_TRUE(got.ok()) << got.status().ToString();
  if (!want.ok() || !got.ok()) return 1e9;
  EXPECT_EQ(got->size(), want->size());
  double max_diff = 0;
  for (size_t o = 0; o < std::min(got->size(), want->size()); ++o) {
    EXPECT_EQ((*got)[o].shape, (*want)[o].shape) << model << " output " << o;
    if ((*got)[o].shape != (*want)[o].shape) return 1e9;
    for (size_t i = 0; i < (*want)[o].size(); ++i) {
      max_diff = std::max<double>(max_diff, std::fabs((*got)[o].data[i] - (*want)[o].data[i]));
    }
  }
  return max_diff;
}

TEST(OneDnnSession, RecognitionNetMatchesOpenCvOnTheFortyCrops) {
  const auto files = Crops(40);
  ASSERT_EQ(files.size(), 40u);
  // 40 faces as batches of 16, 16 and 8 (the embedder's chunking), plus a single face.
  for (size_t begin : {0, 16, 32}) {
    const size_t end = std::min<size_t>(begin + 16, files.size());
    const Tensor input = Batch({files.begin() + begin, files.begin() + end}, 150, kFaceMean, 1 / 255.f);
    const double d = MaxDiff("face_recognition.onnx", {"descriptor"}, input);
    std::printf("recognition, batch %zu: max abs diff %.3g\n", end - begin, d);
    EXPECT_LT(d, 1e-4);
  }
  EXPECT_LT(MaxDiff("face_recognition.onnx", {"descriptor"}, Batch({files[7]}, 150, kFaceMean, 1 / 255.f)),
            1e-4);
}

TEST(OneDnnSession, ShardedRecognitionNetMatches) {
  const auto files = Crops(5);  // 5: uneven parts
  const double d =
      MaxDiff("face_recognition.onnx", {"descriptor"}, Batch(files, 150, kFaceMean, 1 / 255.f), 2);
  EXPECT_LT(d, 1e-4);
}

TEST(OneDnnSession, LandmarkNetMatches) {
  const Tensor input = Batch(Crops(8), 112, kFaceMean, 1 / 255.f);
  const double d = MaxDiff("face_landmark_68.onnx", {"landmarks"}, input);
  std::printf("landmarks, batch 8: max abs diff %.3g\n", d);
  EXPECT_LT(d, 1e-4);  // positions relative to the crop, 0..1
}

TEST(OneDnnSession, SsdMatches) {
  const Tensor input = Batch({"faces-bbt/bbt1.jpg"}, 512, kSsdMean, 1 / 127.5f);
  const double d = MaxDiff("ssd_mobilenetv1.onnx", {"boxes", "scores"}, input);
  std::printf("ssd: max abs diff %.3g\n", d);
  EXPECT_LT(d, 1e-3);  // raw logits and box encodings of magnitude ~10
}

TEST(OneDnnSession, TinyDetectorMatches) {
  const Tensor input = Batch({"faces-bbt/bbt2.jpg"}, 416, kTinyMean, 1 / 255.f);
  const double d = MaxDiff("tiny_face_detector.onnx", {}, input);
  std::printf("tiny: max abs diff %.3g\n", d);
  EXPECT_LT(d, 1e-3);
}

// The service runs the tiny detector at the size of each image (a multiple of 32), not only at
// the 416 its file declares.
TEST(OneDnnSession, TinyDetectorMatchesAtOtherSizes) {
  for (int size : {160, 288}) {
    const Tensor input = Batch({"faces-bbt/bbt2.jpg"}, size, kTinyMean, 1 / 255.f);
    const double d = MaxDiff("tiny_face_detector.onnx", {}, input);
    std::printf("tiny at %d: max abs diff %.3g\n", size, d);
    EXPECT_LT(d, 1e-3) << size;
  }
}

TEST(OneDnnSession, WrongInputShapeIsAnErrorNotACrash) {
  auto s =
      OpenSession(Backend::kOneDnn, testing::ModelDirOrFail() / "face_recognition.onnx", {{"descriptor"}, 1});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto r = (*s)->Run(Tensor({1, 3, 100, 150}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
}

TEST(OneDnnSession, MissingAndGarbageModels) {
  auto missing = OpenSession(Backend::kOneDnn, "/nonexistent/face_recognition.onnx", {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kNotFound);
  const auto path = std::filesystem::temp_directory_path() / "facetag-onednn-garbage.onnx";
  std::ofstream(path) << "definitely not a protobuf";
  auto garbage = OpenSession(Backend::kOneDnn, path, {});
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.status().code(), ErrorCode::kCorrupt);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace facetag::nn
