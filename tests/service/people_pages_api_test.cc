// The API behind the people pages (issue 15) over real HTTP: people found by name, sorted and
// filtered; several faces corrected in one atomic request with one undo; the last index run's
// summary and the photo roots on /status.
#include <chrono>
#include <thread>

#include "catalog/catalog_fixture.h"
#include "facetag/catalog.h"
#include "facetag/grouping_io.h"
#include "service/service_fixture.h"

namespace facetag::testing {
namespace {

using nlohmann::json;

// Amy (named, 3 faces in photos 1-3), Bob (named, 1 face in photo 4) and an unnamed group of 2
// (photos 5-6, the newest faces).
class PeoplePagesApi : public ServiceFixture {
 protected:
  void SetUp() override {
    ServiceFixture::SetUp();
    auto c = Catalog::Open(options_.db);
    ASSERT_TRUE(c.ok());
    Catalog& catalog = **c;
    int photo = 0;
    auto face = [&](int identity, int variant) {
      return AddOneFacePhoto(catalog, ++photo, identity, variant);
    };
    amy_faces_ = {face(1, 1), face(1, 2), face(1, 3)};
    bob_faces_ = {face(2, 1)};
    group_faces_ = {face(3, 1), face(3, 2)};
    AssignmentPlan plan;
    plan.corrections_version = *CorrectionsVersion(catalog);
    plan.new_persons = 3;
    for (int64_t f : amy_faces_) plan.changes.push_back({f, -1});
    for (int64_t f : bob_faces_) plan.changes.push_back({f, -2});
    for (int64_t f : group_faces_) plan.changes.push_back({f, -3});
    ASSERT_TRUE(*ApplyAssignments(catalog, plan));
    amy_ = catalog.GetFace(amy_faces_[0])->person_id;
    bob_ = catalog.GetFace(bob_faces_[0])->person_id;
    group_ = catalog.GetFace(group_faces_[0])->person_id;
    ASSERT_TRUE(catalog.NamePerson(amy_, "Amy").ok());
    ASSERT_TRUE(catalog.NamePerson(bob_, "Bob").ok());
    c->reset();
    ASSERT_TRUE(Start().ok());
  }

  std::vector<int64_t> PersonIds(const std::string& query) {
    const auto a = Get("/api/v1/persons" + query);
    EXPECT_EQ(a.status, 200) << query << ": " << a.body;
    const json answer = Json(a);
    std::vector<int64_t> ids;
    for (const auto& p : answer["persons"]) ids.push_back(p["id"].get<int64_t>());
    return ids;
  }
  // Photo i holds face i alone (a fresh catalog, one face per photo, added in order).
  int64_t PersonOf(int64_t face) {
    const json photo = Json(Get("/api/v1/photos/" + std::to_string(face)));
    const json& person = photo["faces"][0]["person"];
    return person.is_null() ? 0 : person["id"].get<int64_t>();
  }
  std::vector<int64_t> Owners() {
    std::vector<int64_t> out;
    for (int64_t f = 1; f <= 6; ++f) out.push_back(PersonOf(f));
    return out;
  }

  std::vector<int64_t> amy_faces_, bob_faces_, group_faces_;
  int64_t amy_ = 0, bob_ = 0, group_ = 0;
};

TEST_F(PeoplePagesApi, PersonsBySearchSortAndFilter) {
  EXPECT_EQ(PersonIds(""), (std::vector<int64_t>{amy_, group_, bob_})) << "most faces first";
  EXPECT_EQ(PersonIds("?q=am"), (std::vector<int64_t>{amy_}));
  EXPECT_EQ(PersonIds("?q=AM&sort=name"), (std::vector<int64_t>{amy_}));
  EXPECT_EQ(PersonIds("?sort=name"), (std::vector<int64_t>{amy_, bob_, group_})) << "unnamed last";
  EXPECT_EQ(PersonIds("?sort=recent"), (std::vector<int64_t>{group_, bob_, amy_}));
  EXPECT_EQ(PersonIds("?filter=unnamed"), (std::vector<int64_t>{group_}));
  EXPECT_EQ(PersonIds("?filter=named&sort=name"), (std::vector<int64_t>{amy_, bob_}));
  EXPECT_EQ(PersonIds("?named=1"), (std::vector<int64_t>{amy_, bob_})) << "the older spelling still works";
  EXPECT_TRUE(PersonIds("?q=zed").empty());
  EXPECT_EQ(Get("/api/v1/persons?sort=size").status, 400);
  EXPECT_EQ(Get("/api/v1/persons?filter=some").status, 400);
}

TEST_F(PeoplePagesApi, ABatchMovesEveryFaceAndOneUndoPutsAllBack) {
  const auto before = Owners();
  const auto a =
      PostJson("/api/v1/faces/batch", {{"action", "move"}, {"faces", amy_faces_}, {"person", bob_}});
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(Json(a)["corrected"], 3);
  EXPECT_EQ(Json(a)["person"]["id"], bob_);
  EXPECT_EQ(Json(a)["person"]["face_count"], 4);
  for (int64_t f : amy_faces_) EXPECT_EQ(PersonOf(f), bob_);
  const json corrections = Json(Get("/api/v1/corrections"))["corrections"];
  EXPECT_EQ(corrections[0]["summary"], "moved 3 faces to person " + std::to_string(bob_));
  const auto undo = PostJson("/api/v1/undo", json::object());
  ASSERT_EQ(undo.status, 200) << undo.body;
  EXPECT_EQ(Owners(), before) << "one undo restores the whole batch";
}

TEST_F(PeoplePagesApi, ABatchRejectsOrUnassigns) {
  auto a =
      PostJson("/api/v1/faces/batch", {{"action", "reject"}, {"faces", group_faces_}, {"person", group_}});
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(Json(a)["person"], nullptr);
  for (int64_t f : group_faces_) EXPECT_EQ(PersonOf(f), 0);
  a = PostJson("/api/v1/faces/batch", {{"action", "unassign"}, {"faces", {amy_faces_[0], amy_faces_[1]}}});
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(PersonOf(amy_faces_[0]), 0);
  EXPECT_EQ(PersonOf(amy_faces_[2]), amy_);
  a = PostJson("/api/v1/faces/batch", {{"action", "move"}, {"faces", amy_faces_}, {"person", nullptr}});
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(Json(a)["person"]["face_count"], 3) << "one new person for all of them";
}

TEST_F(PeoplePagesApi, OneBadFaceIdRefusesTheBatchAndNamesIt) {
  const auto before = Owners();
  const auto corrections = Json(Get("/api/v1/corrections"))["corrections"].size();
  const auto unknown =
      PostJson("/api/v1/faces/batch",
               {{"action", "move"}, {"faces", {amy_faces_[0], 999, amy_faces_[1]}}, {"person", bob_}});
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(Json(unknown)["error"]["face_ids"], json::array({999}));
  EXPECT_EQ(Json(unknown)["error"]["message"], "no face 999");
  const auto not_ids = PostJson("/api/v1/faces/batch",
                                {{"action", "unassign"}, {"faces", json::array({amy_faces_[0], "7", -2})}});
  EXPECT_EQ(not_ids.status, 400) << not_ids.body;
  EXPECT_EQ(Json(not_ids)["error"]["face_ids"], json::array({"7", -2}));
  const auto no_person =
      PostJson("/api/v1/faces/batch", {{"action", "move"}, {"faces", amy_faces_}, {"person", 555}});
  EXPECT_EQ(no_person.status, 404) << no_person.body;
  EXPECT_EQ(PostJson("/api/v1/faces/batch", {{"action", "move"}, {"faces", amy_faces_}}).status, 400);
  EXPECT_EQ(PostJson("/api/v1/faces/batch", {{"action", "reject"}, {"faces", amy_faces_}}).status, 400);
  EXPECT_EQ(PostJson("/api/v1/faces/batch", {{"action", "hide"}, {"faces", amy_faces_}}).status, 400);
  EXPECT_EQ(PostJson("/api/v1/faces/batch", {{"action", "unassign"}, {"faces", json::array()}}).status, 400);
  EXPECT_EQ(Owners(), before) << "nothing of a refused batch was applied";
  EXPECT_EQ(Json(Get("/api/v1/corrections"))["corrections"].size(), corrections);
}

TEST_F(PeoplePagesApi, StatusKeepsTheLastIndexSummaryAndListsThePhotoRoots) {
  auto index_done = [&] {
    for (int i = 0; i < 200; ++i) {
      const json index = Json(Get("/api/v1/index"));
      if (!index["running"].get<bool>()) return index;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return json();
  };
  const json idle = Json(Get("/api/v1/status"));
  EXPECT_EQ(idle["photo_roots"], json::array({(dir_ / "photos").string()}));
  EXPECT_FALSE(idle["index"].contains("summary")) << "no run yet";
  ASSERT_EQ(PostJson("/api/v1/index", {{"path", (dir_ / "photos").string()}}).status, 202);
  const json done = index_done();
  ASSERT_TRUE(done.contains("summary")) << done.dump();
  const json status = Json(Get("/api/v1/status"));
  EXPECT_EQ(status["index"]["summary"], done["summary"]) << "the summary is on /status too";
  EXPECT_TRUE(status["index"]["summary"].contains("unchanged"));
  // A second run: the first one's summary stays until the second one has its own.
  ASSERT_EQ(PostJson("/api/v1/index", {{"path", (dir_ / "photos").string()}}).status, 202);
  EXPECT_TRUE(Json(Get("/api/v1/status"))["index"].contains("summary"));
  EXPECT_TRUE(index_done().contains("summary"));
}

}  // namespace
}  // namespace facetag::testing
