// Browsing photos over real HTTP (docs/API.md "For the web UI"): the timeline's keyset pages,
// the photo page's faces (how each was named, how close), and drawing a face the detector
// missed, described by the real engine and stored as an undoable correction.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>
#include <thread>

#include "facetag/catalog.h"
#include "service/service_fixture.h"

namespace facetag::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

class PhotosApi : public ServiceFixture {
 protected:
  // The five faces-bbt group photos, with file dates a day apart (bbt1 the oldest), indexed
  // through the API.
  void SetUp() override {
    ServiceFixture::SetUp();
    for (int i = 1; i <= 5; ++i) {
      const auto to = dir_ / "photos" / ("bbt" + std::to_string(i) + ".jpg");
      std::filesystem::copy_file(Bbt() / ("bbt" + std::to_string(i) + ".jpg"), to);
      std::filesystem::last_write_time(
          to, std::filesystem::file_time_type::clock::now() - std::chrono::hours(24 * (10 - i)));
    }
    ASSERT_TRUE(Start().ok());
    ASSERT_EQ(PostJson("/api/v1/index", {{"path", (dir_ / "photos").string()}}).status, 202);
    const auto deadline = Clock::now() + std::chrono::seconds(180);
    while (Clock::now() < deadline) {
      const json s = Json(Get("/api/v1/index"));
      if (s.is_object() && !s["running"].get<bool>()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "the index did not finish";
  }

  json Timeline(const std::string& query) {
    const auto a = Get("/api/v1/photos?sort=taken" + query);
    EXPECT_EQ(a.status, 200) << a.body;
    return Json(a);
  }
  static std::string Name(const json& photo) {
    return std::filesystem::path(photo["path"].get<std::string>()).filename().string();
  }
  std::vector<float> Embedding(int64_t face_id) {
    auto c = Catalog::Open(options_.db);
    EXPECT_TRUE(c.ok());
    return c.ok() ? (*c)->GetFace(face_id)->face.embedding : std::vector<float>{};
  }
  static float Distance(const std::vector<float>& a, const std::vector<float>& b) {
    float d = 0;
    for (size_t i = 0; i < a.size() && i < b.size(); ++i) d += (a[i] - b[i]) * (a[i] - b[i]);
    return std::sqrt(d);
  }
};

TEST_F(PhotosApi, TheTimelineIsNewestFirstAndPagesByCursorBothWays) {
  const json all = Timeline("");
  ASSERT_EQ(all["photos"].size(), 5u) << all.dump();
  std::vector<std::string> names;
  for (const auto& p : all["photos"]) {
    names.push_back(Name(p));
    EXPECT_EQ(p["taken_from"], "file") << "the bbt photos carry no EXIF date";
    EXPECT_EQ(p["taken"].get<std::string>().size(), 19u);
    EXPECT_TRUE(p["cursor"].is_string());
    EXPECT_GT(p["face_count"].get<int>(), 0);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"bbt5.jpg", "bbt4.jpg", "bbt3.jpg", "bbt2.jpg", "bbt1.jpg"}));
  EXPECT_EQ(all["next_cursor"], nullptr);
  EXPECT_EQ(all["prev_cursor"], nullptr);

  // Two at a time, down and back up: every photo once, in order.
  std::vector<std::string> down;
  json page = Timeline("&limit=2");
  while (true) {
    for (const auto& p : page["photos"]) down.push_back(Name(p));
    if (page["next_cursor"].is_null()) break;
    page = Timeline("&limit=2&cursor=" + page["next_cursor"].get<std::string>());
  }
  EXPECT_EQ(down, names);
  const json newer = Timeline("&limit=2&before=" + page["prev_cursor"].get<std::string>());
  ASSERT_EQ(newer["photos"].size(), 2u);
  EXPECT_EQ(Name(newer["photos"][0]), "bbt3.jpg");
  EXPECT_EQ(Name(newer["photos"][1]), "bbt2.jpg");

  // A photo's own cursor (on its page too) finds its neighbours: what next/previous use.
  const json middle = Json(Get("/api/v1/photos/" + std::to_string(all["photos"][2]["id"].get<int64_t>())));
  EXPECT_EQ(middle["cursor"], all["photos"][2]["cursor"]);
  EXPECT_EQ(Name(Timeline("&limit=1&cursor=" + middle["cursor"].get<std::string>())["photos"][0]),
            "bbt2.jpg");
  EXPECT_EQ(Name(Timeline("&limit=1&before=" + middle["cursor"].get<std::string>())["photos"][0]),
            "bbt4.jpg");
}

TEST_F(PhotosApi, BadTimelineQueriesAre400) {
  for (const std::string q : {"&cursor=nonsense", "&cursor=2020-01-01T00:00:00_x", "&cursor=2020'_1",
                              "&limit=0", "&limit=1001", "&limit=-1", "&cursor=2020_1&before=2020_2"}) {
    const auto a = Get("/api/v1/photos?sort=taken" + q);
    EXPECT_EQ(a.status, 400) << q << ": " << a.body;
    EXPECT_EQ(Json(a)["error"]["code"], "bad_request") << q;
  }
  EXPECT_EQ(Get("/api/v1/photos?sort=size").status, 400);
  EXPECT_EQ(Get("/api/v1/photos?sort=path").status, 200);
}

TEST_F(PhotosApi, TheFacesOfAPhotoSayHowTheyWereNamed) {
  const json photo = Json(Get("/api/v1/photos/1"));
  ASSERT_FALSE(photo["faces"].empty()) << photo.dump();
  for (const auto& f : photo["faces"]) {
    EXPECT_EQ(f["assignment"], "auto");
    EXPECT_EQ(f["drawn"], false);
    // Grouped with others: the distance to the person's other faces, within grouping's radius.
    if (!f["person"].is_null() && !f["distance"].is_null()) {
      EXPECT_LT(f["distance"].get<double>(), 0.7);
    }
  }
  const int64_t face = photo["faces"][0]["id"];
  ASSERT_EQ(PostJson("/api/v1/faces/" + std::to_string(face) + "/move", {{"person", nullptr}}).status, 200);
  const json moved = Json(Get("/api/v1/photos/1"));
  for (const auto& f : moved["faces"]) {
    if (f["id"] != face) continue;
    EXPECT_EQ(f["assignment"], "user");
    EXPECT_EQ(f["distance"], nullptr) << "the user's own choice has no distance";
  }
}

// A box drawn a little off a detected face is described by the engine like that face: its
// descriptor is close to the detected one's. Then it is named and undone like any correction.
TEST_F(PhotosApi, ADrawnFaceIsDescribedStoredNamedAndUndone) {
  const json photo = Json(Get("/api/v1/photos/1"));
  ASSERT_FALSE(photo["faces"].empty());
  const json detected = photo["faces"][0];
  const auto box = detected["box"];
  const json drawn_box = {box[0].get<double>() + 3, box[1].get<double>() - 2, box[2].get<double>() - 2,
                          box[3].get<double>() + 3};
  const auto added = PostJson("/api/v1/photos/1/faces", {{"box", drawn_box}});
  ASSERT_EQ(added.status, 201) << added.body;
  const json face = Json(added);
  EXPECT_EQ(face["drawn"], true);
  EXPECT_EQ(face["person"], nullptr);
  EXPECT_NEAR(face["box"][0].get<double>(), drawn_box[0].get<double>(), 1e-3);
  const int64_t id = face["id"];
  const auto mine = Embedding(id), theirs = Embedding(detected["id"]);
  ASSERT_EQ(mine.size(), 128u);
  const float distance = Distance(mine, theirs);
  std::printf("a box drawn 2-3 px off a detected face: descriptor %.3f from the detected one's\n", distance);
  EXPECT_LT(distance, 0.25f) << "the drawn box was described unlike the face inside it";

  const json after = Json(Get("/api/v1/photos/1"));
  EXPECT_EQ(after["faces"].size(), photo["faces"].size() + 1);
  EXPECT_EQ(after["face_count"], photo["face_count"].get<int>() + 1);

  const json corrections = Json(Get("/api/v1/corrections"));
  EXPECT_EQ(corrections["corrections"][0]["kind"], "draw");
  const auto undone = PostJson("/api/v1/undo", json::object());
  ASSERT_EQ(undone.status, 200) << undone.body;
  EXPECT_EQ(Json(undone)["undone"]["kind"], "draw");
  EXPECT_EQ(Json(Get("/api/v1/photos/1"))["faces"].size(), photo["faces"].size());
}

TEST_F(PhotosApi, BadBoxesAre400AndNothingIsStored) {
  const json photo = Json(Get("/api/v1/photos/1"));
  const double w = photo["width"], h = photo["height"];
  const std::vector<json> bad = {
      json{{"box", {w - 10, 10, 50, 50}}},  // outside
      json{{"box", {-5, 10, 50, 50}}},      // outside
      json{{"box", {10, h - 10, 50, 50}}},  // outside
      json{{"box", {10, 10, 0, 50}}},       // no area
      json{{"box", {10, 10, 8, 8}}},        // too small to be a face
      json{{"box", {10, 10, 50}}},          // not a box
      json{{"box", "10,10,50,50"}},        json{{"box", {10, 10, 50, "50"}}}, json::object(),
  };
  for (const auto& body : bad) {
    const auto a = PostJson("/api/v1/photos/1/faces", body);
    EXPECT_EQ(a.status, 400) << body.dump() << ": " << a.body;
    EXPECT_FALSE(Json(a)["error"]["message"].get<std::string>().empty());
  }
  EXPECT_EQ(PostJson("/api/v1/photos/999/faces", {{"box", {10, 10, 50, 50}}}).status, 404);
  EXPECT_EQ(Json(Get("/api/v1/photos/1"))["faces"].size(), photo["faces"].size());
  EXPECT_TRUE(Json(Get("/api/v1/corrections"))["corrections"].empty());
}

}  // namespace
}  // namespace facetag::testing
