// The detector the service and the cluster's workers run for recognition requests: on face
// crops that fill the frame, where face-api's tiny detector at 416 misses almost every face, it
// finds the face in nearly all; on a group photo it finds what the tiny detector finds.
#include "face/fitted_detector.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "face/faceapi/tiny_detector.h"
#include "support/reference.h"
#include "support/test_env.h"

namespace facetag::face {
namespace {

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
    auto fitted = OpenFittedDetector(testing::ModelDirOrFail(), DetectorKind::kTiny, backend);
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
  auto fitted = OpenFittedDetector(testing::ModelDirOrFail(), DetectorKind::kTiny, nn::Backend::kOpenCv);
  ASSERT_TRUE(plain.ok() && fitted.ok());
  auto a = (*plain)->Detect(image);
  auto b = (*fitted)->Detect(image);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->size(), b->size());
  for (size_t i = 0; i < a->size(); ++i) EXPECT_FLOAT_EQ((*a)[i].box.x, (*b)[i].box.x);
}

TEST(FittedDetectorTest, MissingModelsFailAtOpen) {
  auto r = OpenFittedDetector("/nonexistent", DetectorKind::kTiny, nn::Backend::kOpenCv);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace facetag::face
