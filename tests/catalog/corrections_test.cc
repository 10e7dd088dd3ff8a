// The user's corrections: name, hide, merge, move, reject, unassign. Each pins the persons it
// touches and bumps the corrections version.
#include "catalog/catalog_fixture.h"
#include "facetag/grouping_io.h"

namespace facetag::testing {
namespace {

class Corrections : public TwoPhotosThreePeople {
 protected:
  int64_t Version() { return *CorrectionsVersion(catalog()); }
  PersonRecord Person(int64_t id) { return *catalog().GetPerson(id); }
  FaceRecord FaceOf(int64_t id) { return *catalog().GetFace(id); }
};

TEST_F(Corrections, ClusteringCreatesUnpinnedUnnamedPersons) {
  EXPECT_FALSE(Person(amy_).pinned);
  EXPECT_TRUE(Person(amy_).name.empty());
  EXPECT_EQ(FaceOf(a1_).person_id, amy_);
  EXPECT_EQ(FaceOf(a1_).assignment, Assignment::kAuto);
}

TEST_F(Corrections, NamingPinsThePersonAndCanBeUndone) {
  const int64_t v = Version();
  ASSERT_TRUE(catalog().NamePerson(amy_, "Amy").ok());
  EXPECT_EQ(Person(amy_).name, "Amy");
  EXPECT_TRUE(Person(amy_).pinned);
  EXPECT_GT(Version(), v);
  auto found = catalog().FindPersonsByName("amy");
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u) << "names match case-insensitively";
  EXPECT_EQ((*found)[0].id, amy_);
  ASSERT_TRUE(catalog().NamePerson(amy_, "").ok());
  EXPECT_TRUE(Person(amy_).name.empty());
  EXPECT_EQ(catalog().NamePerson(424242, "Nobody").code(), ErrorCode::kNotFound);
}

TEST_F(Corrections, HidingKeepsThePersonOutOfTheDefaultList) {
  ASSERT_TRUE(catalog().HidePerson(cat_).ok());
  EXPECT_TRUE(Person(cat_).hidden);
  const auto visible = catalog().ListPersons();
  ASSERT_TRUE(visible.ok());
  for (const auto& p : *visible) EXPECT_NE(p.person.id, cat_);
  const auto all = catalog().ListPersons(true);
  ASSERT_TRUE(all.ok());
  bool listed = false;
  for (const auto& p : *all) listed |= p.person.id == cat_;
  EXPECT_TRUE(listed);
}

TEST_F(Corrections, MergeMovesEveryFaceIntoTheFirstAndKeepsAName) {
  ASSERT_TRUE(catalog().NamePerson(bob_, "Bob").ok());
  ASSERT_TRUE(catalog().MergePersons({amy_, bob_, cat_}).ok());
  EXPECT_EQ(Person(amy_).name, "Bob") << "the first takes a name from the merged when it has none";
  EXPECT_TRUE(Person(amy_).pinned);
  for (int64_t f : {a1_, b1_, a2_, c2_}) EXPECT_EQ(FaceOf(f).person_id, amy_);
  EXPECT_EQ(catalog().GetPerson(bob_).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(catalog().GetPerson(cat_).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(catalog().MergePersons({amy_, 999}).code(), ErrorCode::kNotFound);
}

TEST_F(Corrections, MoveMakesAUserAssignmentAndPinsBothPersons) {
  ASSERT_TRUE(catalog().MoveFace(c2_, bob_).ok());
  EXPECT_EQ(FaceOf(c2_).person_id, bob_);
  EXPECT_EQ(FaceOf(c2_).assignment, Assignment::kUser);
  EXPECT_TRUE(Person(bob_).pinned);
  EXPECT_EQ(catalog().GetPerson(cat_).status().code(), ErrorCode::kNotFound)
      << "an unnamed person left without faces is forgotten";
  EXPECT_EQ(catalog().MoveFace(c2_, 999).code(), ErrorCode::kNotFound);
  EXPECT_EQ(catalog().MoveFace(999, bob_).code(), ErrorCode::kNotFound);

  auto fresh = catalog().MoveFaceToNewPerson(a1_);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(FaceOf(a1_).person_id, *fresh);
  EXPECT_EQ(FaceOf(a1_).assignment, Assignment::kUser);
  EXPECT_TRUE(Person(amy_).pinned);
}

TEST_F(Corrections, RejectTakesTheFaceOffAndHandsItBackToClustering) {
  ASSERT_TRUE(catalog().RejectFace(a2_, amy_).ok());
  EXPECT_EQ(FaceOf(a2_).person_id, 0);
  EXPECT_EQ(FaceOf(a2_).assignment, Assignment::kAuto);
  EXPECT_TRUE(Person(amy_).pinned);
  std::vector<FaceRejection> rejections;
  ASSERT_TRUE(ForEachGroupingFace(
                  catalog(), [](const GroupingFaceRow&, std::span<const float>) {}, &rejections, nullptr)
                  .ok());
  ASSERT_EQ(rejections.size(), 1u);
  EXPECT_EQ(rejections[0].face_id, a2_);
  EXPECT_EQ(rejections[0].person_id, amy_);

  // Rejecting a face for a person it is not on only records the rejection.
  ASSERT_TRUE(catalog().RejectFace(b1_, cat_).ok());
  EXPECT_EQ(FaceOf(b1_).person_id, bob_);
  // Moving it there later is the user's latest word: the rejection goes.
  ASSERT_TRUE(catalog().MoveFace(a2_, amy_).ok());
  ASSERT_TRUE(ForEachGroupingFace(
                  catalog(), [](const GroupingFaceRow&, std::span<const float>) {}, &rejections, nullptr)
                  .ok());
  EXPECT_EQ(rejections.size(), 1u);
}

TEST_F(Corrections, UnassignLeavesTheFaceWithNobodyForGood) {
  ASSERT_TRUE(catalog().UnassignFace(a1_).ok());
  EXPECT_EQ(FaceOf(a1_).person_id, 0);
  EXPECT_EQ(FaceOf(a1_).assignment, Assignment::kUser);
}

TEST_F(Corrections, AStalePlanIsRefusedSoClusteringCannotUndoACorrection) {
  AssignmentPlan plan;
  plan.corrections_version = Version();
  plan.changes.push_back({a1_, bob_});
  ASSERT_TRUE(catalog().NamePerson(amy_, "Amy").ok());  // the user, meanwhile
  auto applied = ApplyAssignments(catalog(), plan);
  ASSERT_TRUE(applied.ok());
  EXPECT_FALSE(*applied);
  EXPECT_EQ(FaceOf(a1_).person_id, amy_);
}

TEST_F(Corrections, PlansNeverMoveUserAssignedFaces) {
  ASSERT_TRUE(catalog().MoveFace(c2_, bob_).ok());
  AssignmentPlan plan;
  plan.corrections_version = Version();
  plan.changes.push_back({c2_, amy_});
  ASSERT_TRUE(*ApplyAssignments(catalog(), plan));
  EXPECT_EQ(FaceOf(c2_).person_id, bob_);
}

TEST_F(Corrections, ANamedPersonOutlivesItsFaces) {
  ASSERT_TRUE(catalog().NamePerson(cat_, "Cat").ok());
  // Photo 2 is edited: its faces are replaced by new, unassigned ones.
  ASSERT_TRUE(
      catalog().AddPhotoResult(MakePhoto("/lib/2.jpg", "2 edited", 5000), {MakeFace(MakeEmbedding(3))}).ok());
  EXPECT_EQ(Person(cat_).name, "Cat");
  EXPECT_EQ(catalog().GetCounts()->people, 3);
}

}  // namespace
}  // namespace facetag::testing
