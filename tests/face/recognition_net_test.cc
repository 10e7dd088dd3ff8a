// Parity of the face-api recognition net (converted ONNX + FaceApiEmbedder) with face-api.js
// itself: tests/data/reference/{crops,landmarks}.jsonl come from scripts/make-reference.sh.
#include "face/faceapi/recognition_net.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "face/faceapi/alignment.h"
#include "support/reference.h"
#include "support/test_env.h"

namespace facetag::face {
namespace {

using testing::LoadReference;
using testing::ResolveReferenceFile;

Box WholeImage(const Image& image) {
  return {0, 0, static_cast<float>(image.width), static_cast<float>(image.height)};
}

// "faces-bbt/amy/amy1.png" -> "amy" (labels.csv says the same).
std::string PersonOf(const std::string& file) {
  return std::filesystem::path(file).parent_path().filename().string();
}

class RecognitionNetTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto embedder = OpenFaceApiEmbedder(testing::ModelDirUnchecked());
    setup_error_ = testing::SuiteSetUpError("the recognition net", embedder.status());
    if (embedder.ok()) embedder_ = std::move(*embedder).release();
  }
  static void TearDownTestSuite() {
    delete embedder_;
    embedder_ = nullptr;
  }
  void SetUp() override { FACETAG_ASSERT_SUITE_SET_UP(setup_error_); }

  static Embedding EmbedOne(const Image& image, const Box& region) {
    auto e = embedder_->Embed(image, std::span<const Box>(&region, 1));
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return e.ok() && e->size() == 1 ? (*e)[0] : Embedding(128, 0.0f);
  }

  static FaceEmbedder* embedder_;
  static std::string setup_error_;
};
FaceEmbedder* RecognitionNetTest::embedder_ = nullptr;
std::string RecognitionNetTest::setup_error_;

TEST_F(RecognitionNetTest, Contract) { EXPECT_EQ(embedder_->dimension(), 128); }

// face-api --crop: the whole 150 x 150 crop is the face, so this is the net alone.
TEST_F(RecognitionNetTest, CropDescriptorsMatchFaceApi) {
  const auto reference = LoadReference("crops.jsonl");
  ASSERT_EQ(reference.size(), 40u);
  double max_d = 0, sum_d = 0;
  for (const auto& photo : reference) {
    ASSERT_EQ(photo.faces.size(), 1u) << photo.file;
    const Image image = testing::LoadReferenceImage(photo.file);
    const Embedding e = EmbedOne(image, WholeImage(image));
    const float d = EmbeddingDistance(e, photo.faces[0].embedding);
    EXPECT_LT(d, 0.05f) << photo.file;
    max_d = std::max<double>(max_d, d);
    sum_d += d;
  }
  std::printf("crop descriptors vs face-api: max %.3g, mean %.3g (Euclidean)\n", max_d,
              sum_d / reference.size());
  // Same net, same input: anything beyond float rounding means the conversion drifted.
  EXPECT_LT(max_d, 1e-4);
}

// The full face-api path from the peer's own landmarks: AlignmentBox, crop, centred pad, TF
// legacy resize to 150, net. This is where the resize has to match face-api's.
TEST_F(RecognitionNetTest, AlignedDescriptorsMatchFaceApi) {
  const auto reference = LoadReference("landmarks.jsonl");
  double max_d = 0, sum_d = 0;
  int faces = 0;
  for (const auto& photo : reference) {
    if (photo.faces.empty()) continue;
    const Image image = testing::LoadReferenceImage(photo.file);
    std::vector<Box> regions;
    for (const Face& f : photo.faces) {
      const auto crop = FaceApiCrop(f.box, image.width, image.height);
      ASSERT_TRUE(crop.has_value()) << photo.file;
      regions.push_back(AlignmentBox(f.landmarks, *crop));
    }
    auto embeddings = embedder_->Embed(image, regions);
    ASSERT_TRUE(embeddings.ok()) << embeddings.status().ToString();
    ASSERT_EQ(embeddings->size(), photo.faces.size());
    for (size_t i = 0; i < regions.size(); ++i) {
      const float d = EmbeddingDistance((*embeddings)[i], photo.faces[i].embedding);
      EXPECT_LT(d, 0.05f) << photo.file << " face " << i;
      max_d = std::max<double>(max_d, d);
      sum_d += d;
      ++faces;
    }
  }
  ASSERT_GE(faces, 20);
  std::printf("aligned descriptors vs face-api (%d faces): max %.3g, mean %.3g\n", faces, max_d,
              sum_d / faces);
  EXPECT_LT(max_d, 1e-3);
}

TEST_F(RecognitionNetTest, BatchEqualsSingles) {
  const auto reference = LoadReference("crops.jsonl");
  ASSERT_GE(reference.size(), 40u);
  // Eight different faces tiled into one image, so one call embeds eight regions of it.
  std::vector<Image> crops;
  for (size_t i = 0; i < 8; ++i) crops.push_back(testing::LoadReferenceImage(reference[i * 5].file));
  Image sheet;
  sheet.width = 150 * 8;
  sheet.height = 150;
  sheet.rgb.resize(static_cast<size_t>(sheet.width) * sheet.height * 3);
  std::vector<Box> regions;
  for (int i = 0; i < 8; ++i) {
    ASSERT_EQ(crops[i].width, 150);
    ASSERT_EQ(crops[i].height, 150);
    for (int y = 0; y < 150; ++y) std::copy_n(crops[i].row(y), 150 * 3, sheet.row(y) + i * 150 * 3);
    regions.push_back({150.0f * i, 0, 150, 150});
  }
  auto batch = embedder_->Embed(sheet, regions);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  ASSERT_EQ(batch->size(), 8u);
  double max_d = 0;
  for (int i = 0; i < 8; ++i) {
    const float d = EmbeddingDistance((*batch)[i], EmbedOne(crops[i], WholeImage(crops[i])));
    EXPECT_LT(d, 1e-4f) << "face " << i;
    max_d = std::max<double>(max_d, d);
  }
  std::printf("batch of 8 vs singles: max %.3g\n", max_d);
}

TEST_F(RecognitionNetTest, MoreRegionsThanOneRunTakes) {
  // 40 regions go through the net as 16 + 16 + 8; the order must survive the chunking.
  const auto reference = LoadReference("crops.jsonl");
  const Image image = testing::LoadReferenceImage(reference[0].file);
  std::vector<Box> regions;
  for (int i = 0; i < 40; ++i) regions.push_back({static_cast<float>(i), static_cast<float>(i), 100, 100});
  auto all = embedder_->Embed(image, regions);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 40u);
  for (int i : {0, 15, 16, 31, 32, 39}) {
    EXPECT_LT(EmbeddingDistance((*all)[i], EmbedOne(image, regions[i])), 1e-4f) << "region " << i;
  }
}

TEST_F(RecognitionNetTest, SamePersonIsCloserThanOthers) {
  const auto reference = LoadReference("crops.jsonl");
  std::vector<std::pair<std::string, Embedding>> people;
  for (const auto& photo : reference) {
    const Image image = testing::LoadReferenceImage(photo.file);
    people.emplace_back(PersonOf(photo.file), EmbedOne(image, WholeImage(image)));
  }
  double same = 0, different = 0;
  int n_same = 0, n_different = 0;
  for (size_t i = 0; i < people.size(); ++i) {
    for (size_t j = i + 1; j < people.size(); ++j) {
      const float d = EmbeddingDistance(people[i].second, people[j].second);
      if (people[i].first == people[j].first) {
        same += d;
        ++n_same;
      } else {
        different += d;
        ++n_different;
      }
    }
  }
  ASSERT_EQ(n_same, 8 * 10);  // 8 people, 5 crops each
  same /= n_same;
  different /= n_different;
  std::printf("mean distance: same person %.3f, different people %.3f\n", same, different);
  EXPECT_LT(same, 0.5);
  EXPECT_GT(different, 0.5);
}

TEST_F(RecognitionNetTest, RegionOutsideTheImageIsAnError) {
  Image image;
  image.width = 64;
  image.height = 48;
  image.rgb.assign(64 * 48 * 3, 128);
  const Box outside{70, 10, 20, 20};
  auto e = embedder_->Embed(image, std::span<const Box>(&outside, 1));
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(RecognitionNetTest, NoRegionsNoEmbeddings) {
  Image image;
  image.width = 4;
  image.height = 4;
  image.rgb.assign(4 * 4 * 3, 0);
  auto e = embedder_->Embed(image, {});
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->empty());
}

TEST(RecognitionNetOpenTest, MissingModelIsNotFound) {
  auto e = OpenFaceApiEmbedder("/nonexistent/models");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace facetag::face
