// The naming workflow (facetag/review.h) on a real catalog file: the queue's order and
// suggestions, each answer and its undo, name_taken, and merge suggestions.
#include "facetag/review.h"

#include <algorithm>

#include "catalog/catalog_fixture.h"
#include "facetag/grouping_io.h"

namespace facetag::testing {
namespace {

class Review : public CatalogTest {
 protected:
  void SetUp() override {
    CatalogTest::SetUp();
    int photo = 0;
    auto face = [&](int identity, int variant, float noise = 0.02f) {
      ++photo;
      auto out =
          catalog().AddPhotoResult(MakePhoto("/lib/" + std::to_string(photo) + ".jpg", std::to_string(photo)),
                                   {MakeFace(MakeEmbedding(identity, variant, noise))});
      EXPECT_TRUE(out.ok());
      return FaceIds(out->photo_id).at(0);
    };
    const std::vector<int64_t> amy = {face(1, 1), face(1, 2), face(1, 3)};
    const std::vector<int64_t> bob = {face(2, 1), face(2, 2)};
    const std::vector<int64_t> group3 = {face(3, 1), face(3, 2), face(3, 3)};
    const std::vector<int64_t> amy_split = {face(1, 4), face(1, 5)};  // Amy, found twice
    loose_amy_ = face(1, 6);
    loose_bob_ = face(2, 7, 0.045f);  // further from Bob's mean: less confident
    loose_stranger_ = face(4, 1);
    unassigned_ = face(5, 1);
    // A second face in Amy's first photo that looks like Amy: she cannot be there twice.
    auto both = catalog().AddPhotoResult(MakePhoto("/lib/both.jpg", "both"),
                                         {MakeFace(MakeEmbedding(1, 8)), MakeFace(MakeEmbedding(1, 9), 300)});
    ASSERT_TRUE(both.ok());
    const auto both_faces = FaceIds(both->photo_id);
    const auto ids = MakePersons({{amy[0], amy[1], amy[2], both_faces[0]}, bob, group3, amy_split});
    amy_ = ids[0], bob_ = ids[1], group3_ = ids[2], split_ = ids[3];
    same_photo_as_amy_ = both_faces[1];
    ASSERT_TRUE(catalog().NamePerson(amy_, "Amy").ok());
    ASSERT_TRUE(catalog().NamePerson(bob_, "Bob").ok());
    ASSERT_TRUE(catalog().UnassignFace(unassigned_).ok());
  }

  std::vector<ReviewItem> Queue() {
    auto q = ReviewQueue(catalog());
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    return q.ok() ? *q : std::vector<ReviewItem>{};
  }
  static bool Has(const std::vector<ReviewItem>& q, const ReviewTarget& t) {
    return std::any_of(q.begin(), q.end(), [&](const ReviewItem& i) {
      return i.target.person_id == t.person_id && i.target.face_id == t.face_id;
    });
  }

  int64_t amy_ = 0, bob_ = 0, group3_ = 0, split_ = 0;
  int64_t loose_amy_ = 0, loose_bob_ = 0, loose_stranger_ = 0, unassigned_ = 0, same_photo_as_amy_ = 0;
};

TEST_F(Review, QueueListsBiggestGroupsThenMostConfidentSuggestionsFirst) {
  const auto q = Queue();
  ASSERT_EQ(q.size(), 6u) << "2 unnamed groups and 4 faces with nobody; not the named, nor the unassigned";
  EXPECT_EQ(q[0].target.person_id, group3_);
  EXPECT_EQ(q[0].face_ids.size(), 3u);
  EXPECT_TRUE(q[0].suggestions.empty()) << "nobody named looks like identity 3";
  EXPECT_EQ(q[1].target.person_id, split_);
  ASSERT_FALSE(q[1].suggestions.empty());
  EXPECT_EQ(q[1].suggestions[0].person.id, amy_);
  EXPECT_LT(q[1].suggestions[0].distance, 0.6f);
  EXPECT_NE(q[1].suggestions[0].face_id, 0);
  // Lone faces: the confident suggestion first, then the less confident, then none.
  EXPECT_EQ(q[2].target.face_id, loose_amy_);
  ASSERT_EQ(q[2].suggestions.size(), 1u);
  EXPECT_EQ(q[2].suggestions[0].person.name, "Amy");
  EXPECT_EQ(q[3].target.face_id, loose_bob_);
  ASSERT_EQ(q[3].suggestions.size(), 1u);
  EXPECT_EQ(q[3].suggestions[0].person.id, bob_);
  EXPECT_LT(q[2].suggestions[0].distance, q[3].suggestions[0].distance);
  for (size_t i = 4; i < 6; ++i) EXPECT_TRUE(q[i].suggestions.empty()) << i;
  EXPECT_TRUE(Has(q, {0, same_photo_as_amy_})) << "Amy is already in that photo: not suggested";
  EXPECT_TRUE(Has(q, {0, loose_stranger_}));
  EXPECT_FALSE(Has(q, {0, unassigned_}));
}

TEST_F(Review, ARejectedPersonIsNotSuggestedAgain) {
  ASSERT_TRUE(catalog().RejectFace(loose_amy_, amy_).ok());
  for (const auto& item : Queue())
    if (item.target.face_id == loose_amy_) {
      EXPECT_TRUE(item.suggestions.empty());
    }
}

TEST_F(Review, ConfirmMergesAGroupAndMovesAFaceEachUndoable) {
  ASSERT_TRUE(AssignReviewItem(catalog(), {split_, 0}, amy_).ok());
  EXPECT_EQ(catalog().GetPerson(split_).status().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(AssignReviewItem(catalog(), {0, loose_amy_}, amy_).ok());
  EXPECT_EQ(catalog().GetFace(loose_amy_)->person_id, amy_);
  EXPECT_EQ(Queue().size(), 4u);
  EXPECT_EQ(catalog().UndoLastCorrection()->kind, "move");
  EXPECT_EQ(catalog().UndoLastCorrection()->kind, "merge");
  EXPECT_EQ(Queue().size(), 6u);
  EXPECT_TRUE(Has(Queue(), {split_, 0}));
}

TEST_F(Review, NamingANewNameNamesTheGroupOrGivesTheFaceANewPerson) {
  auto group = NameReviewItem(catalog(), {group3_, 0}, "Cyd");
  ASSERT_TRUE(group.ok()) << group.status().ToString();
  EXPECT_EQ(group->person_id, group3_);
  EXPECT_EQ(group->taken_by, 0);
  auto lone = NameReviewItem(catalog(), {0, loose_stranger_}, "Dee");
  ASSERT_TRUE(lone.ok());
  EXPECT_EQ(catalog().GetPerson(lone->person_id)->name, "Dee");
  EXPECT_EQ(catalog().GetFace(loose_stranger_)->person_id, lone->person_id);
  EXPECT_EQ(Queue().size(), 4u);
  ASSERT_TRUE(catalog().UndoLastCorrection().ok());
  EXPECT_EQ(catalog().GetPerson(lone->person_id).status().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(Has(Queue(), {0, loose_stranger_}));
}

TEST_F(Review, ANameSomeoneHasChangesNothingAndSaysWho) {
  const auto version = *CorrectionsVersion(catalog());
  auto taken = NameReviewItem(catalog(), {split_, 0}, "amy");
  ASSERT_TRUE(taken.ok());
  EXPECT_EQ(taken->taken_by, amy_) << "names compare case-insensitively";
  EXPECT_EQ(taken->person_id, 0);
  EXPECT_TRUE(catalog().GetPerson(split_)->name.empty());
  EXPECT_EQ(*CorrectionsVersion(catalog()), version);
  EXPECT_EQ((*NameTakenBy(catalog(), "AMY"))->id, amy_);
  EXPECT_FALSE(NameTakenBy(catalog(), "Amy", amy_)->has_value()) << "a person's own name is not taken";
}

TEST_F(Review, NotAFaceHidesAGroupAndUnassignsAFace) {
  ASSERT_TRUE(DismissReviewItem(catalog(), {group3_, 0}).ok());
  EXPECT_TRUE(catalog().GetPerson(group3_)->hidden);
  ASSERT_TRUE(DismissReviewItem(catalog(), {0, loose_stranger_}).ok());
  EXPECT_EQ(catalog().GetFace(loose_stranger_)->assignment, Assignment::kUser);
  EXPECT_EQ(Queue().size(), 4u);
  EXPECT_EQ(catalog().UndoLastCorrection()->kind, "unassign");
  EXPECT_EQ(catalog().UndoLastCorrection()->kind, "hide");
  EXPECT_EQ(Queue().size(), 6u);
}

TEST_F(Review, AnswersOnlyApplyToItemsWaitingForAName) {
  EXPECT_EQ(AssignReviewItem(catalog(), {amy_, 0}, bob_).code(), ErrorCode::kInvalidArgument)
      << "named already";
  EXPECT_EQ(NameReviewItem(catalog(), {0, 0}, "X").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(NameReviewItem(catalog(), {split_, 0}, "").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(DismissReviewItem(catalog(), {0, 999999}).code(), ErrorCode::kNotFound);
  EXPECT_EQ(AssignReviewItem(catalog(), {split_, 0}, 999999).code(), ErrorCode::kNotFound);
  EXPECT_EQ(AssignReviewItem(catalog(), {split_, 0}, split_).code(), ErrorCode::kInvalidArgument);
}

TEST_F(Review, MergeSuggestionsPairPeopleWhoLookAlikeAndAreNeverTogether) {
  auto merges = SuggestMerges(catalog());
  ASSERT_TRUE(merges.ok()) << merges.status().ToString();
  ASSERT_EQ(merges->size(), 1u);
  EXPECT_EQ((*merges)[0].keep.person.id, amy_) << "the named one stays";
  EXPECT_EQ((*merges)[0].other.person.id, split_);
  EXPECT_EQ((*merges)[0].other.face_count, 2);
  EXPECT_LT((*merges)[0].distance, 0.6f);
  // "Not the same person": never suggested again, until that answer is undone.
  ASSERT_TRUE(catalog().MarkDifferentPersons(split_, amy_).ok());
  EXPECT_TRUE(SuggestMerges(catalog())->empty());
  ASSERT_TRUE(catalog().UndoLastCorrection().ok());
  EXPECT_EQ(SuggestMerges(catalog())->size(), 1u);
  // Once in one photo together, they are two people.
  auto together =
      catalog().AddPhotoResult(MakePhoto("/lib/pair.jpg", "pair"),
                               {MakeFace(MakeEmbedding(1, 20)), MakeFace(MakeEmbedding(1, 21), 300)});
  ASSERT_TRUE(together.ok());
  const auto pair = FaceIds(together->photo_id);
  ASSERT_TRUE(catalog().MoveFace(pair[0], amy_).ok());
  ASSERT_TRUE(catalog().MoveFace(pair[1], split_).ok());
  EXPECT_TRUE(SuggestMerges(catalog())->empty());
}

}  // namespace
}  // namespace facetag::testing
