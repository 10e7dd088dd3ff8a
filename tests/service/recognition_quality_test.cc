// Must-show 1: register one crop of each of 8 unseen people over HTTP, then recognize their
// other 4 crops: at least 90% named right, at most one wrong name.
#include <map>

#include "service/service_fixture.h"

namespace facetag::testing {
namespace {

class RecognitionQuality : public ServiceFixture {};

TEST_F(RecognitionQuality, RegisterOneRecognizeTheRest) {
  if (const char* d = std::getenv("FACETAG_TEST_MATCH_DISTANCE")) options_.match_distance = std::stof(d);
  ASSERT_TRUE(Start().ok());
  std::map<std::string, std::vector<std::string>> crops;  // person -> files, in labels.csv order
  std::ifstream labels(Bbt() / "labels.csv");
  ASSERT_TRUE(labels) << "missing " << Bbt() / "labels.csv";
  std::string line;
  std::getline(labels, line);  // header
  while (std::getline(labels, line)) {
    const auto comma = line.find(',');
    if (comma != std::string::npos) crops[line.substr(comma + 1)].push_back(line.substr(0, comma));
  }
  ASSERT_EQ(crops.size(), 8u);

  std::map<std::string, int64_t> ids;
  for (const auto& [name, files] : crops) {
    auto created = PostJson("/api/v1/persons", {{"name", name}});
    ASSERT_EQ(created.status, 201) << created.body;
    ids[name] = Json(created)["id"];
    auto registered =
        PostImage("/api/v1/persons/" + std::to_string(ids[name]) + "/faces", ReadBytes(Bbt() / files[0]));
    ASSERT_EQ(registered.status, 201) << name << ": " << registered.body;
    EXPECT_EQ(Json(registered)["faces"].size(), 1u);
  }

  int right = 0, wrong = 0, unnamed = 0, total = 0;
  for (const auto& [name, files] : crops) {
    for (size_t i = 1; i < files.size(); ++i) {
      auto answer = PostImage("/api/v1/recognize", ReadBytes(Bbt() / files[i]));
      ASSERT_EQ(answer.status, 200) << answer.body;
      ++total;
      const auto faces = Json(answer)["faces"];
      std::string got;
      for (const auto& f : faces)
        if (!f["person"].is_null()) got = f["person"]["name"];
      if (got.empty()) {
        ++unnamed;
      } else if (got == name) {
        ++right;
      } else {
        ++wrong;
      }
    }
  }
  RecordProperty("right", right);
  std::printf("recognized %d of %d right, %d wrong, %d unnamed\n", right, total, wrong, unnamed);
  EXPECT_EQ(total, 32);
  EXPECT_GE(right * 10, total * 9);
  EXPECT_LE(wrong, 1);

  // The registered faces are the person's, with the upload as their photo.
  auto faces = Get("/api/v1/persons/" + std::to_string(ids.begin()->second) + "/faces");
  ASSERT_EQ(faces.status, 200);
  EXPECT_EQ(Json(faces)["faces"].size(), 1u);
  // Deleting a person takes its faces: its crops are then nobody.
  ASSERT_EQ(HttpFetch(port_, "DELETE", "/api/v1/persons/" + std::to_string(ids.begin()->second)).status, 204);
  EXPECT_EQ(Get("/api/v1/persons/" + std::to_string(ids.begin()->second)).status, 404);
  auto again = PostImage("/api/v1/recognize", ReadBytes(Bbt() / crops.begin()->second[0]));
  ASSERT_EQ(again.status, 200);
  for (const auto& f : Json(again)["faces"]) {
    if (!f["person"].is_null()) {
      EXPECT_NE(f["person"]["name"], crops.begin()->first);
    }
  }
}

}  // namespace
}  // namespace facetag::testing
