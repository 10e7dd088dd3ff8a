// The naming workflow over real HTTP (docs/API.md "Naming a library"): the review queue and its
// answers, 409 name_taken (review and PATCH), merge suggestions, undo and the corrections list.
#include "catalog/catalog_fixture.h"
#include "facetag/catalog.h"
#include "facetag/grouping_io.h"
#include "service/service_fixture.h"

namespace facetag::testing {
namespace {

using nlohmann::json;

class NamingApi : public ServiceFixture {
 protected:
  // Amy (named, 3 faces), Amy again as an unnamed group of 2, an unnamed group of 3 strangers'
  // faces... of one stranger, and a lone face of nobody.
  void SetUp() override {
    ServiceFixture::SetUp();
    auto c = Catalog::Open(options_.db);
    ASSERT_TRUE(c.ok());
    Catalog& catalog = **c;
    int photo = 0;
    auto face = [&](int identity, int variant) {
      return AddOneFacePhoto(catalog, ++photo, identity, variant);
    };
    const std::vector<std::vector<int64_t>> groups = {
        {face(1, 1), face(1, 2), face(1, 3)}, {face(1, 4), face(1, 5)}, {face(3, 1), face(3, 2), face(3, 3)}};
    lone_ = face(4, 1);
    AssignmentPlan plan;
    plan.corrections_version = *CorrectionsVersion(catalog);
    plan.new_persons = 3;
    for (size_t g = 0; g < groups.size(); ++g)
      for (int64_t f : groups[g]) plan.changes.push_back({f, -static_cast<int64_t>(g) - 1});
    ASSERT_TRUE(*ApplyAssignments(catalog, plan));
    amy_ = catalog.GetFace(groups[0][0])->person_id;
    split_ = catalog.GetFace(groups[1][0])->person_id;
    stranger_ = catalog.GetFace(groups[2][0])->person_id;
    ASSERT_TRUE(catalog.NamePerson(amy_, "Amy").ok());
    c->reset();
    ASSERT_TRUE(Start().ok());
  }

  HttpAnswer Patch(const std::string& target, const json& body) {
    return HttpFetch(port_, "PATCH", target, body.dump(), "application/json");
  }
  json Queue() {
    const auto a = Get("/api/v1/review");
    EXPECT_EQ(a.status, 200) << a.body;
    return Json(a);
  }

  int64_t amy_ = 0, split_ = 0, stranger_ = 0, lone_ = 0;
};

TEST_F(NamingApi, TheQueueListsGroupsAndLoneFacesWithSuggestions) {
  const json q = Queue();
  ASSERT_EQ(q["total"], 3) << q.dump();
  EXPECT_EQ(q["items"][0]["kind"], "group");
  EXPECT_EQ(q["items"][0]["person_id"], stranger_) << "the biggest group first";
  EXPECT_EQ(q["items"][0]["face_count"], 3);
  EXPECT_TRUE(q["items"][0]["suggestions"].empty());
  EXPECT_EQ(q["items"][1]["person_id"], split_);
  ASSERT_EQ(q["items"][1]["suggestions"].size(), 1u);
  EXPECT_EQ(q["items"][1]["suggestions"][0]["person"]["name"], "Amy");
  EXPECT_LT(q["items"][1]["suggestions"][0]["distance"].get<double>(), 0.6);
  EXPECT_GT(q["items"][1]["suggestions"][0]["face_id"].get<int64_t>(), 0);
  EXPECT_EQ(q["items"][2]["kind"], "face");
  EXPECT_EQ(q["items"][2]["face_id"], lone_);
  EXPECT_EQ(q["items"][2]["person_id"], nullptr);
  EXPECT_EQ(Json(Get("/api/v1/review?limit=1"))["items"].size(), 1u);
  EXPECT_EQ(Get("/api/v1/review?limit=-1").status, 400);
}

TEST_F(NamingApi, AnswersNameTakenConfirmDismiss) {
  // A name someone has: 409 name_taken with who has it; nothing changes.
  auto taken = PostJson("/api/v1/review/name", {{"person", split_}, {"name", "amy"}});
  ASSERT_EQ(taken.status, 409) << taken.body;
  EXPECT_EQ(Json(taken)["error"]["code"], "name_taken");
  EXPECT_EQ(Json(taken)["error"]["person_id"], amy_);
  EXPECT_EQ(Queue()["total"], 3);
  // Then "merge instead": the group joins Amy.
  auto confirm = PostJson("/api/v1/review/assign", {{"person", split_}, {"to", amy_}});
  ASSERT_EQ(confirm.status, 200) << confirm.body;
  EXPECT_EQ(Json(confirm)["person"]["face_count"], 5);
  auto named = PostJson("/api/v1/review/name", {{"face", lone_}, {"name", "Dee"}});
  ASSERT_EQ(named.status, 200) << named.body;
  EXPECT_EQ(Json(named)["person"]["name"], "Dee");
  auto dismissed = PostJson("/api/v1/review/dismiss", {{"person", stranger_}});
  ASSERT_EQ(dismissed.status, 200) << dismissed.body;
  EXPECT_EQ(Queue()["total"], 0);
  EXPECT_TRUE(Json(Get("/api/v1/persons/" + std::to_string(stranger_)))["hidden"].get<bool>());
  // Answers about what is not waiting, and malformed ones.
  EXPECT_EQ(PostJson("/api/v1/review/name", {{"person", amy_}, {"name", "X"}}).status, 400);
  EXPECT_EQ(PostJson("/api/v1/review/name", {{"person", split_}, {"face", lone_}, {"name", "X"}}).status,
            400);
  EXPECT_EQ(PostJson("/api/v1/review/dismiss", json::object()).status, 400);
  EXPECT_EQ(PostJson("/api/v1/review/assign", {{"face", 999999}, {"to", amy_}}).status, 404);
}

TEST_F(NamingApi, RenamingToATakenNameIs409UnlessDuplicatesAreWanted) {
  const std::string target = "/api/v1/persons/" + std::to_string(split_);
  auto taken = Patch(target, {{"name", "AMY"}});
  ASSERT_EQ(taken.status, 409) << taken.body;
  EXPECT_EQ(Json(taken)["error"]["code"], "name_taken");
  EXPECT_EQ(Json(taken)["error"]["person_id"], amy_);
  EXPECT_EQ(Json(Get(target))["name"], "");
  EXPECT_EQ(Patch("/api/v1/persons/" + std::to_string(amy_), {{"name", "AMY"}}).status, 200)
      << "a person's own name, in other letters, is not taken";
  auto twin = Patch(target, {{"name", "Amy"}, {"duplicate_ok", true}});
  EXPECT_EQ(twin.status, 200) << twin.body;
}

TEST_F(NamingApi, MergeSuggestionUndoAndTheCorrectionsList) {
  const json merges = Json(Get("/api/v1/merge-suggestions"));
  ASSERT_EQ(merges["suggestions"].size(), 1u) << merges.dump();
  const json& s = merges["suggestions"][0];
  EXPECT_EQ(s["keep"]["id"], amy_);
  EXPECT_EQ(s["other"]["id"], split_);
  EXPECT_GT(s["other"]["sample_face_id"].get<int64_t>(), 0) << "the merge picker shows faces";
  EXPECT_LT(s["distance"].get<double>(), 0.6);

  // "Not the same person" hides the pair; undo shows it again.
  EXPECT_EQ(PostJson("/api/v1/merge-suggestions/dismiss", {{"persons", {amy_}}}).status, 400);
  ASSERT_EQ(PostJson("/api/v1/merge-suggestions/dismiss", {{"persons", {amy_, split_}}}).status, 200);
  EXPECT_TRUE(Json(Get("/api/v1/merge-suggestions"))["suggestions"].empty());
  ASSERT_EQ(PostJson("/api/v1/undo", json::object()).status, 200);
  ASSERT_EQ(Json(Get("/api/v1/merge-suggestions"))["suggestions"].size(), 1u);

  ASSERT_EQ(PostJson("/api/v1/persons/" + std::to_string(amy_) + "/merge", {{"ids", {split_}}}).status, 200);
  EXPECT_EQ(Get("/api/v1/persons/" + std::to_string(split_)).status, 404);
  const json list = Json(Get("/api/v1/corrections"));
  EXPECT_EQ(list["undo_depth"], kUndoDepth);
  ASSERT_EQ(list["corrections"].size(), 2u) << "naming Amy, then the merge, newest first";
  EXPECT_EQ(list["corrections"][0]["kind"], "merge");
  EXPECT_EQ(list["corrections"][1]["kind"], "name");

  auto undo = PostJson("/api/v1/undo", json::object());
  ASSERT_EQ(undo.status, 200) << undo.body;
  EXPECT_EQ(Json(undo)["undone"]["kind"], "merge");
  const json back = Json(Get("/api/v1/persons/" + std::to_string(split_)));
  EXPECT_EQ(back["face_count"], 2) << back.dump();
  EXPECT_EQ(Json(Get("/api/v1/persons/" + std::to_string(amy_)))["face_count"], 3);

  ASSERT_EQ(PostJson("/api/v1/undo", json::object()).status, 200);
  EXPECT_EQ(Json(Get("/api/v1/persons/" + std::to_string(amy_)))["name"], "");
  auto nothing = PostJson("/api/v1/undo", json::object());
  ASSERT_EQ(nothing.status, 409) << nothing.body;
  EXPECT_EQ(Json(nothing)["error"]["code"], "nothing_to_undo");
  EXPECT_NE(Json(nothing)["error"]["message"].get<std::string>().find("nothing to undo"), std::string::npos);
}

}  // namespace
}  // namespace facetag::testing
