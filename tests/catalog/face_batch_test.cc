// Several faces corrected at once (Catalog::CorrectFaces, the person page's bulk actions): all of
// the batch or none of it, whatever is wrong with it.
#include "catalog/catalog_fixture.h"
#include "facetag/grouping_io.h"

namespace facetag::testing {
namespace {

class FaceBatchTest : public TwoPhotosThreePeople {
 protected:
  // Each face's person, in face order: what a refused batch must leave as it was.
  std::vector<std::pair<int64_t, int64_t>> Owners() {
    std::vector<std::pair<int64_t, int64_t>> out;
    for (int64_t face : {a1_, b1_, a2_, c2_}) out.emplace_back(face, catalog().GetFace(face)->person_id);
    return out;
  }
};

TEST_F(FaceBatchTest, MoveTakesEveryFaceToThePersonAsTheUsersWord) {
  auto to = catalog().CorrectFaces({FaceBatch::Action::kMove, {a1_, c2_}, bob_});
  ASSERT_TRUE(to.ok()) << to.status().ToString();
  EXPECT_EQ(*to, bob_);
  for (int64_t face : {a1_, c2_}) {
    EXPECT_EQ(catalog().GetFace(face)->person_id, bob_);
    EXPECT_EQ(catalog().GetFace(face)->assignment, Assignment::kUser);
  }
  EXPECT_EQ(catalog().GetFace(a2_)->person_id, amy_) << "a face not in the batch stays";
  EXPECT_FALSE(catalog().GetPerson(cat_).ok()) << "Cat, unnamed and left with no face, is gone";
}

TEST_F(FaceBatchTest, MoveToNobodyMakesOneNewPersonForAllOfThem) {
  auto to = catalog().CorrectFaces({FaceBatch::Action::kMove, {a1_, a2_}, 0});
  ASSERT_TRUE(to.ok()) << to.status().ToString();
  EXPECT_NE(*to, amy_);
  EXPECT_EQ(catalog().GetFace(a1_)->person_id, *to);
  EXPECT_EQ(catalog().GetFace(a2_)->person_id, *to);
  EXPECT_TRUE(catalog().GetPerson(*to)->pinned);
}

TEST_F(FaceBatchTest, RejectTakesThemOffThatPersonForGood) {
  ASSERT_TRUE(catalog().NamePerson(amy_, "Amy").ok());
  ASSERT_TRUE(catalog().CorrectFaces({FaceBatch::Action::kReject, {a1_, a2_, b1_}, amy_}).ok());
  EXPECT_EQ(catalog().GetFace(a1_)->person_id, 0);
  EXPECT_EQ(catalog().GetFace(a2_)->person_id, 0);
  EXPECT_EQ(catalog().GetFace(b1_)->person_id, bob_) << "a face on someone else stays there";
  std::vector<FaceRejection> rejections;
  ASSERT_TRUE(ForEachGroupingFace(
                  catalog(), [](const GroupingFaceRow&, std::span<const float>) {}, &rejections, nullptr)
                  .ok());
  EXPECT_EQ(rejections.size(), 3u) << "each face is rejected for Amy, also the one that was not hers";
}

TEST_F(FaceBatchTest, UnassignLeavesThemWithNobodyAndOutOfClusteringsReach) {
  ASSERT_TRUE(catalog().CorrectFaces({FaceBatch::Action::kUnassign, {b1_, c2_}, 0}).ok());
  for (int64_t face : {b1_, c2_}) {
    EXPECT_EQ(catalog().GetFace(face)->person_id, 0);
    EXPECT_EQ(catalog().GetFace(face)->assignment, Assignment::kUser);
  }
}

TEST_F(FaceBatchTest, OneUnknownFaceRefusesTheWholeBatchNamingIt) {
  const auto before = Owners();
  const auto corrections = catalog().RecentCorrections()->size();
  for (auto action : {FaceBatch::Action::kMove, FaceBatch::Action::kReject, FaceBatch::Action::kUnassign}) {
    auto out = catalog().CorrectFaces({action, {a1_, 9999, a2_, 8888}, bob_});
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.status().code(), ErrorCode::kNotFound);
    EXPECT_EQ(out.status().message(), "no faces 8888, 9999");
    EXPECT_EQ(Owners(), before) << "nothing of the batch was applied";
  }
  EXPECT_EQ(catalog().RecentCorrections()->size(), corrections) << "and nothing logged";
  EXPECT_EQ(*catalog().UnknownFaces({a1_, 9999, 8888}), (std::vector<int64_t>{9999, 8888}));
}

TEST_F(FaceBatchTest, AnUnknownPersonOrAnEmptyBatchChangesNothing) {
  const auto before = Owners();
  auto unknown = catalog().CorrectFaces({FaceBatch::Action::kMove, {a1_}, 777});
  EXPECT_EQ(unknown.status().code(), ErrorCode::kNotFound);
  auto reject = catalog().CorrectFaces({FaceBatch::Action::kReject, {a1_}, 777});
  EXPECT_EQ(reject.status().code(), ErrorCode::kNotFound);
  auto empty = catalog().CorrectFaces({FaceBatch::Action::kUnassign, {}, 0});
  EXPECT_EQ(empty.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Owners(), before);
  EXPECT_TRUE(catalog().RecentCorrections()->empty());
}

}  // namespace
}  // namespace facetag::testing
