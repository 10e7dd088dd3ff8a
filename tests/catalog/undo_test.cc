// Undo (the correction log, schema version 5): each kind of correction is put back exactly, the
// newest first; only the last kUndoDepth are kept, and an empty log says so.
#include <algorithm>
#include <tuple>

#include "catalog/catalog_fixture.h"
#include "facetag/grouping_io.h"

namespace facetag::testing {
namespace {

class Undo : public TwoPhotosThreePeople {
 protected:
  void SetUp() override {
    TwoPhotosThreePeople::SetUp();
    before_ = State();
  }

  // Everything a correction may change: persons (with flags), faces' persons and assignments,
  // rejections.
  using PersonRow = std::tuple<int64_t, std::string, bool, bool>;
  using FaceRow = std::tuple<int64_t, int64_t, Assignment>;
  struct Snapshot {
    std::vector<PersonRow> persons;
    std::vector<FaceRow> faces;
    std::vector<std::pair<int64_t, int64_t>> rejections;
    bool operator==(const Snapshot&) const = default;
  };
  Snapshot State() {
    Snapshot s;
    std::vector<PersonRecord> persons;
    std::vector<FaceRejection> rejections;
    EXPECT_TRUE(ForEachGroupingFace(
                    catalog(),
                    [&](const GroupingFaceRow& r, std::span<const float>) {
                      s.faces.emplace_back(r.face_id, r.person_id, r.assignment);
                    },
                    &rejections, &persons)
                    .ok());
    for (const auto& p : persons) s.persons.emplace_back(p.id, p.name, p.hidden, p.pinned);
    for (const auto& r : rejections) s.rejections.emplace_back(r.face_id, r.person_id);
    return s;
  }

  void ExpectUndoneTo(const Snapshot& expected, const std::string& kind) {
    auto undone = catalog().UndoLastCorrection();
    ASSERT_TRUE(undone.ok()) << undone.status().ToString();
    EXPECT_EQ(undone->kind, kind);
    EXPECT_FALSE(undone->summary.empty());
    EXPECT_TRUE(State() == expected) << "undoing " << undone->summary << " did not restore the catalog";
  }

  Snapshot before_;
};

TEST_F(Undo, NothingToUndoSaysSo) {
  auto undone = catalog().UndoLastCorrection();
  ASSERT_FALSE(undone.ok());
  EXPECT_EQ(undone.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(undone.status().message().find("nothing to undo"), std::string::npos)
      << undone.status().message();
}

TEST_F(Undo, Name) {
  ASSERT_TRUE(catalog().NamePerson(amy_, "Amy").ok());
  ASSERT_EQ(catalog().RecentCorrections()->size(), 1u);
  EXPECT_EQ(catalog().RecentCorrections()->at(0).summary,
            "named person " + std::to_string(amy_) + " \"Amy\"");
  const auto named = State();
  ASSERT_TRUE(catalog().NamePerson(amy_, "Amy Farrah").ok());
  ExpectUndoneTo(named, "name");
  ExpectUndoneTo(before_, "name");
  EXPECT_FALSE(catalog().GetPerson(amy_)->pinned) << "the pin a correction set goes with it";
}

TEST_F(Undo, Hide) {
  ASSERT_TRUE(catalog().HidePerson(cat_).ok());
  ExpectUndoneTo(before_, "hide");
}

TEST_F(Undo, MergeBringsBackTheMergedPersonWithItsIdFacesAndRejections) {
  ASSERT_TRUE(catalog().RejectFace(b1_, cat_).ok());
  ASSERT_TRUE(catalog().NamePerson(cat_, "Cat").ok());
  const auto ready = State();
  ASSERT_TRUE(catalog().MergePersons({amy_, bob_, cat_}).ok());
  EXPECT_EQ(catalog().GetPerson(bob_).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(catalog().GetPerson(amy_)->name, "Cat");
  ExpectUndoneTo(ready, "merge");
  EXPECT_EQ(catalog().GetPerson(cat_)->name, "Cat");
  EXPECT_EQ(catalog().GetFace(c2_)->person_id, cat_);
}

TEST_F(Undo, MoveToAPersonAndToANewOne) {
  ASSERT_TRUE(catalog().MoveFace(c2_, bob_).ok());  // cat_ is left empty and unnamed: deleted
  EXPECT_EQ(catalog().GetPerson(cat_).status().code(), ErrorCode::kNotFound);
  const auto moved = State();
  auto fresh = catalog().MoveFaceToNewPerson(a1_, "Penny");
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(catalog().GetPerson(*fresh)->name, "Penny");
  ExpectUndoneTo(moved, "move");
  EXPECT_EQ(catalog().GetPerson(*fresh).status().code(), ErrorCode::kNotFound) << "the person it made goes";
  ExpectUndoneTo(before_, "move");
}

TEST_F(Undo, RejectAndUnassign) {
  ASSERT_TRUE(catalog().RejectFace(a2_, amy_).ok());
  EXPECT_EQ(catalog().GetFace(a2_)->person_id, 0);
  const auto rejected = State();
  ASSERT_TRUE(catalog().UnassignFace(a1_).ok());
  ExpectUndoneTo(rejected, "unassign");
  ExpectUndoneTo(before_, "reject");
}

TEST_F(Undo, DifferentPeople) {
  ASSERT_TRUE(catalog().MarkDifferentPersons(cat_, amy_).ok());
  EXPECT_EQ(*catalog().DifferentPersons(), (std::vector<std::pair<int64_t, int64_t>>{{amy_, cat_}}));
  EXPECT_EQ(catalog().MarkDifferentPersons(amy_, amy_).code(), ErrorCode::kInvalidArgument);
  ExpectUndoneTo(before_, "different");
  EXPECT_TRUE(catalog().DifferentPersons()->empty());
  // Undoing a merge brings back the answers about the merged-away person too.
  ASSERT_TRUE(catalog().MarkDifferentPersons(bob_, cat_).ok());
  ASSERT_TRUE(catalog().MergePersons({amy_, bob_}).ok());
  EXPECT_TRUE(catalog().DifferentPersons()->empty()) << "bob_ is gone, and his answers with him";
  ASSERT_TRUE(catalog().UndoLastCorrection().ok());
  EXPECT_EQ(catalog().DifferentPersons()->size(), 1u);
}

TEST_F(Undo, OnlyTheLastTenAreKept) {
  std::vector<Snapshot> states;
  for (int i = 0; i < kUndoDepth + 2; ++i) {
    states.push_back(State());
    ASSERT_TRUE(catalog().NamePerson(bob_, "Bob " + std::to_string(i)).ok());
  }
  EXPECT_EQ(catalog().RecentCorrections()->size(), static_cast<size_t>(kUndoDepth));
  for (int i = kUndoDepth + 1; i >= 2; --i) ExpectUndoneTo(states[i], "name");
  EXPECT_EQ(catalog().GetPerson(bob_)->name, "Bob 1");
  auto past = catalog().UndoLastCorrection();
  ASSERT_FALSE(past.ok());
  EXPECT_NE(past.status().message().find("only the last 10"), std::string::npos) << past.status().message();
}

TEST_F(Undo, BumpsTheCorrectionsVersionSoAStalePlanIsRefused) {
  ASSERT_TRUE(catalog().NamePerson(amy_, "Amy").ok());
  AssignmentPlan plan;
  plan.corrections_version = *CorrectionsVersion(catalog());
  plan.changes.push_back({a1_, bob_});
  ASSERT_TRUE(catalog().UndoLastCorrection().ok());
  EXPECT_FALSE(*ApplyAssignments(catalog(), plan));
}

TEST_F(Undo, SurvivesReopeningTheCatalog) {
  ASSERT_TRUE(catalog().NamePerson(amy_, "Amy").ok());
  catalog_.reset();
  auto reopened = Catalog::Open(db_path());
  ASSERT_TRUE(reopened.ok());
  catalog_ = std::move(*reopened);
  ExpectUndoneTo(before_, "name");
}

// The person page's bulk actions: a whole batch is one correction, and one undo puts every face
// back (and a person the batch emptied, with its id).
TEST_F(Undo, AFaceBatchIsOneCorrectionAndOneUndoRestoresAllOfIt) {
  ASSERT_TRUE(catalog().NamePerson(cat_, "Cat").ok());
  const auto named = State();
  auto moved = catalog().CorrectFaces({FaceBatch::Action::kMove, {a1_, a2_, b1_}, cat_});
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(catalog().RecentCorrections()->size(), 2u) << "the batch is one entry, beside the name";
  EXPECT_EQ(catalog().RecentCorrections()->at(0).summary, "moved 3 faces to person " + std::to_string(cat_));
  EXPECT_FALSE(catalog().GetPerson(amy_).ok()) << "Amy, unnamed and emptied, went";
  ExpectUndoneTo(named, "move");
}

TEST_F(Undo, FaceBatchesOfEveryKind) {
  ASSERT_TRUE(catalog().CorrectFaces({FaceBatch::Action::kReject, {a1_, a2_, c2_}, amy_}).ok());
  ExpectUndoneTo(before_, "reject");
  ASSERT_TRUE(catalog().CorrectFaces({FaceBatch::Action::kUnassign, {a1_, b1_}, 0}).ok());
  ExpectUndoneTo(before_, "unassign");
  auto created = catalog().CorrectFaces({FaceBatch::Action::kMove, {a2_, c2_}, 0});
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(catalog().GetFace(c2_)->person_id, *created);
  ExpectUndoneTo(before_, "move");
  EXPECT_FALSE(catalog().GetPerson(*created).ok()) << "the person the batch made goes with it";
}

}  // namespace
}  // namespace facetag::testing
