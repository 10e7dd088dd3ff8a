// Quality on real descriptors: face-api's 128-D descriptors of 40 face crops of 8 people
// (tests/data/reference/crops.jsonl, labels in faces-bbt/labels.csv). Each crop is its own photo.
#include <fstream>
#include <sstream>

#include "people/people_fixture.h"
#include "support/reference.h"
#include "support/test_env.h"

namespace facetag::testing {
namespace {

struct Crops {
  InputBuilder builder;
  std::vector<int64_t> truth;
};

Crops LoadCrops() {
  std::map<std::string, int64_t> label_of_file;
  std::map<std::string, int64_t> id_of_label;
  std::ifstream labels(BbtDir() / "labels.csv");
  EXPECT_TRUE(labels.good()) << "missing labels.csv in " << BbtDir();
  std::string line;
  std::getline(labels, line);  // header
  while (std::getline(labels, line)) {
    const auto comma = line.find(',');
    if (comma == std::string::npos) continue;
    const std::string person = line.substr(comma + 1);
    if (!id_of_label.count(person)) id_of_label[person] = static_cast<int64_t>(id_of_label.size()) + 1;
    label_of_file["faces-bbt/" + line.substr(0, comma)] = id_of_label[person];
  }
  Crops crops;
  int64_t photo = 0;
  for (const auto& ref : LoadReference("crops.jsonl")) {
    EXPECT_EQ(ref.faces.size(), 1u) << ref.file;
    EXPECT_TRUE(label_of_file.count(ref.file)) << ref.file << " has no label";
    if (ref.faces.empty() || !label_of_file.count(ref.file)) continue;
    crops.builder.Add(++photo, ref.faces[0].embedding);
    crops.truth.push_back(label_of_file[ref.file]);
  }
  EXPECT_EQ(crops.truth.size(), 40u);
  EXPECT_EQ(id_of_label.size(), 8u);
  return crops;
}

TEST(CropsQuality, DefaultSettingsGroupTheEightPeopleWithPairwiseF1AtLeast095) {
  Crops crops = LoadCrops();
  auto out = GroupFaces(crops.builder.input(), GroupingMode::kFull);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const PairScores s = PairwiseF1(crops.truth, out->person);
  RecordProperty("f1", std::to_string(s.f1));
  EXPECT_GE(s.f1, 0.95) << "precision " << s.precision << " recall " << s.recall;
  EXPECT_EQ(out->stats.search, "exact");
}

TEST(CropsQuality, TheHnswSearchGivesTheSamePeopleAsTheExactOne) {
  Crops crops = LoadCrops();
  GroupingOptions hnsw;
  hnsw.search = GroupingOptions::Search::kHnsw;
  auto exact = GroupFaces(crops.builder.input(), GroupingMode::kFull);
  auto approx = GroupFaces(crops.builder.input(), GroupingMode::kFull, hnsw);
  ASSERT_TRUE(exact.ok() && approx.ok());
  EXPECT_EQ(approx->stats.search, "hnsw");
  EXPECT_EQ(exact->person, approx->person);
}

TEST(CropsQuality, SingleLinkageAtFaceApisThresholdChainsTwoPeople) {
  // Why eps is 0.55 and not face-api's 0.6: without the centroid rule, 0.6 chains two of the 8.
  Crops crops = LoadCrops();
  GroupingOptions loose;
  loose.eps = 0.6f;
  loose.max_centroid_distance = 0;
  auto out = GroupFaces(crops.builder.input(), GroupingMode::kFull, loose);
  ASSERT_TRUE(out.ok());
  EXPECT_LT(PairwiseF1(crops.truth, out->person).precision, 1.0);
}

TEST(CropsQuality, TheCentroidRuleKeepsThemApartEvenAtThatThreshold) {
  Crops crops = LoadCrops();
  GroupingOptions loose;
  loose.eps = 0.6f;
  auto out = GroupFaces(crops.builder.input(), GroupingMode::kFull, loose);
  ASSERT_TRUE(out.ok());
  EXPECT_GE(PairwiseF1(crops.truth, out->person).f1, 0.95);
}

}  // namespace
}  // namespace facetag::testing
