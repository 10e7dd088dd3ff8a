// The detector the service and the cluster's workers run for recognition requests: on face
// crops that fill the frame, where face-api's tiny detector at 416 misses almost every face, it
// finds the face in nearly all; on a group photo it finds what the tiny detector finds.
#include "face/fitted_detector.h"

#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/imgproc.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "face/faceapi/tiny_detector.h"
#include "support/reference.h"
#include "support/test_env.h"

namespace facetag::face {
namespace {

nn::Runner F32(nn::Backend backend) { return {backend, nn::Precision::kF32}; }

// A 150-pixel crop scaled to `face` pixels in the middle of a grey wide photo: one large, clear
// face in a wide frame, which the tiny detector misses at any input size it is fitted to.
Image WidePhotoWithOneFace(const Image& crop, int face, int width, int height) {
  cv::Mat src(crop.height, crop.width, CV_8UC3, const_cast<uint8_t*>(crop.rgb.data()));
  cv::Mat scaled;
  cv::resize(src, scaled, cv::Size(face, face), 0, 0, cv::INTER_CUBIC);
  Image wide;
  wide.width = width;
  wide.height = height;
  wide.rgb.assign(static_cast<size_t>(width) * height * 3, 128);
  cv::Mat dst(height, width, CV_8UC3, wide.rgb.data());
  scaled.copyTo(dst(cv::Rect((width - face) / 2, (height - face) / 2, face, face)));
  return wide;
}

// The 40 faces-bbt crops, as paths LoadReferenceImage takes.
std::vector<std::string> BbtCrops() {
  std::ifstream labels(testing::BbtDir() / "labels.csv");
  std::vector<std::string> crops;
  std::string line;
  std::getline(labels, line);  // header
  while (std::getline(labels, line)) {
    std::stringstream fields(line);
    std::string file;
    std::getline(fields, file, ',');
    crops.push_back("faces-bbt/" + file);
  }
  return crops;
}

TEST(FittedDetectorTest, FindsTheFaceInCropsWhereTheTinyDetectorDoesNot) {
  const auto crops = BbtCrops();
  ASSERT_EQ(crops.size(), 40u);
  auto plain = OpenFaceApiTinyDetector(testing::ModelDirOrFail(), nn::Backend::kOpenCv);
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  int plain_found = 0;
  for (nn::Backend backend : {nn::Backend::kOpenCv, nn::Backend::kOneDnn}) {
    if (!nn::BackendAvailable(backend)) continue;
    SCOPED_TRACE(nn::BackendName(backend));
    auto fitted =
        OpenFittedDetector(testing::ModelDirOrFail(), DetectorKind::kTiny, F32(backend), F32(backend));
    ASSERT_TRUE(fitted.ok()) << fitted.status().ToString();
    int fitted_found = 0;
    plain_found = 0;
    for (const auto& crop : crops) {
      const Image image = testing::LoadReferenceImage(crop);
      ASSERT_FALSE(image.empty()) << crop;
      auto found = (*fitted)->Detect(image);
      ASSERT_TRUE(found.ok()) << crop << ": " << found.status().ToString();
      EXPECT_LE(found->size(), 1u) << crop;
      fitted_found += found->empty() ? 0 : 1;
      auto plain_faces = (*plain)->Detect(image);
      ASSERT_TRUE(plain_faces.ok());
      plain_found += plain_faces->empty() ? 0 : 1;
    }
    // 38 when this was written (leonard5 and stuart5 are missed).
    std::printf("%s: fitted detector finds the face in %d of 40 crops, face-api's tiny at 416 in %d\n",
                nn::BackendName(backend), fitted_found, plain_found);
    EXPECT_GE(fitted_found, 38);
  }
  EXPECT_LE(plain_found, 10) << "the crops no longer show why the detector is fitted";
}

TEST(FittedDetectorTest, OnAPhotoFindsWhatTheTinyDetectorFinds) {
  const Image image = testing::LoadReferenceImage("faces-bbt/bbt1.jpg");
  ASSERT_FALSE(image.empty());
  ASSERT_GT(std::max(image.width, image.height), 416) << "the photo must be larger than the fitted sizes";
  auto plain = OpenFaceApiTinyDetector(testing::ModelDirOrFail(), nn::Backend::kOpenCv);
  auto fitted = OpenFittedDetector(testing::ModelDirOrFail(), DetectorKind::kTiny, F32(nn::Backend::kOpenCv),
                                   F32(nn::Backend::kOpenCv));
  ASSERT_TRUE(plain.ok() && fitted.ok());
  auto a = (*plain)->Detect(image);
  auto b = (*fitted)->Detect(image);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->size(), b->size());
  for (size_t i = 0; i < a->size(); ++i) EXPECT_FLOAT_EQ((*a)[i].box.x, (*b)[i].box.x);
}

// Registering a person from such a photo answered 422 no_face while the service searched with the
// tiny detector only.
TEST(FittedDetectorTest, FallsBackToTheSsdWhereTheTinyDetectorFindsNoFace) {
  const auto dir = testing::ModelDirOrFail();
  auto plain = OpenFaceApiTinyDetector(dir, nn::Backend::kOpenCv);
  auto fitted =
      OpenFittedDetector(dir, DetectorKind::kTiny, F32(nn::Backend::kOpenCv), F32(nn::Backend::kOpenCv));
  ASSERT_TRUE(plain.ok() && fitted.ok());
  for (const char* crop :
       {"faces-bbt/amy/amy3.png", "faces-bbt/penny/penny4.png", "faces-bbt/stuart/stuart4.png"}) {
    SCOPED_TRACE(crop);
    const Image wide = WidePhotoWithOneFace(testing::LoadReferenceImage(crop), 260, 740, 418);
    auto tiny_faces = (*plain)->Detect(wide);
    ASSERT_TRUE(tiny_faces.ok());
    EXPECT_TRUE(tiny_faces->empty()) << "the photo no longer shows why the SSD is needed";
    auto found = (*fitted)->Detect(wide);
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    ASSERT_EQ(found->size(), 1u);
    const Box& box = (*found)[0].box;
    // The face is in the pasted square (240..500 x 79..339).
    EXPECT_GT(box.x + box.width / 2, 240);
    EXPECT_LT(box.x + box.width / 2, 500);
    EXPECT_GT(box.width, 100);
  }
}

TEST(FittedDetectorTest, MissingModelsFailAtOpen) {
  auto r = OpenFittedDetector("/nonexistent", DetectorKind::kTiny, F32(nn::Backend::kOpenCv),
                              F32(nn::Backend::kOpenCv));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace facetag::face
