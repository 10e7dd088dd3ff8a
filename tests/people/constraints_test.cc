// The rules grouping never breaks: one person per face of a photo, the user's assignments
// and rejections; and what becomes of faces seen once.
#include "people/people_fixture.h"

namespace facetag::testing {
namespace {

std::vector<int64_t> Cluster(InputBuilder& b, GroupingMode mode = GroupingMode::kFull,
                             GroupingOptions o = {}) {
  auto out = GroupFaces(b.input(), mode, o);
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? out->person : std::vector<int64_t>(b.input().faces.size(), 0);
}

TEST(CannotLink, TwoFacesOfOnePhotoNeverShareAPersonEvenWhenIdentical) {
  InputBuilder b;
  const Embedding same = MakeEmbedding(1, 1);
  const size_t x = b.Add(1, same), y = b.Add(1, same);
  const size_t z = b.Add(2, MakeEmbedding(1, 2)), w = b.Add(3, MakeEmbedding(1, 3));
  const auto person = Cluster(b);
  EXPECT_TRUE(person[x] == 0 || person[x] != person[y]);
  EXPECT_NE(person[z], 0);
  EXPECT_EQ(person[z], person[w]);
}

TEST(CannotLink, GroupPhotosNeverGetTwoFacesOfOnePerson) {
  // Ten photos of the same five people: each person's faces form one group, and no group ever
  // takes two faces of a photo, even though the faces of a photo all look like "someone".
  InputBuilder b;
  for (int photo = 1; photo <= 10; ++photo) {
    for (int who = 1; who <= 5; ++who) b.Add(photo, MakeEmbedding(who, photo));
  }
  const auto person = Cluster(b);
  for (size_t i = 0; i < person.size(); ++i) {
    for (size_t j = i + 1; j < person.size(); ++j) {
      if (b.input().faces[i].photo_id == b.input().faces[j].photo_id && person[i] != 0) {
        EXPECT_NE(person[i], person[j]) << "faces " << i << " and " << j;
      }
      if (i % 5 == j % 5) {
        EXPECT_EQ(person[i], person[j]);
      }
    }
  }
}

TEST(MustLink, UserAssignedFacesStayAndAttractTheirCluster) {
  InputBuilder b;
  b.Person(7, true);
  std::vector<size_t> amy;
  for (int v = 1; v <= 5; ++v) amy.push_back(b.Add(v, MakeEmbedding(1, v)));
  const size_t confirmed = b.Add(6, MakeEmbedding(1, 6), 7, Assignment::kUser);
  // The user also says this unlike face is person 7: it stays there.
  const size_t odd = b.Add(7, MakeEmbedding(2, 1), 7, Assignment::kUser);
  const auto person = Cluster(b);
  EXPECT_EQ(person[confirmed], 7);
  EXPECT_EQ(person[odd], 7);
  for (size_t f : amy) EXPECT_EQ(person[f], 7) << "the cluster joins the user's person";
}

TEST(MustLink, TwoPersonsTheUserSeparatedNeverMerge) {
  InputBuilder b;
  b.Person(7, true);
  b.Person(8, true);
  const size_t a = b.Add(1, MakeEmbedding(1, 1), 7, Assignment::kUser);
  const size_t c = b.Add(2, MakeEmbedding(1, 2), 8, Assignment::kUser);
  std::vector<size_t> free;
  for (int v = 3; v <= 8; ++v) free.push_back(b.Add(v, MakeEmbedding(1, v)));
  const auto person = Cluster(b);
  EXPECT_EQ(person[a], 7);
  EXPECT_EQ(person[c], 8);
  for (size_t f : free) EXPECT_TRUE(person[f] == 7 || person[f] == 8) << person[f];
}

TEST(MustLink, APinnedPersonKeepsAllItsFacesInAFullRecluster) {
  // Named persons are pinned: grouping may add faces to them but never takes faces away,
  // even faces that would not link to the rest at the current eps.
  InputBuilder b;
  b.Person(5, true, "Amy");
  std::vector<size_t> amy;
  for (int v = 1; v <= 4; ++v) amy.push_back(b.Add(v, MakeEmbedding(1, v), 5));
  amy.push_back(b.Add(9, MakeEmbedding(3, 1), 5));  // a mistake the user has not corrected
  const size_t new_amy = b.Add(10, MakeEmbedding(1, 10));
  const auto person = Cluster(b);
  for (size_t f : amy) EXPECT_EQ(person[f], 5);
  EXPECT_EQ(person[new_amy], 5);
}

TEST(Rejections, ARejectedFaceNeverReturnsToThatPerson) {
  InputBuilder b;
  b.Person(7, true);
  for (int v = 1; v <= 4; ++v) b.Add(v, MakeEmbedding(1, v), 7);
  const size_t rejected = b.Add(5, MakeEmbedding(1, 5));
  b.Reject(rejected, 7);
  const size_t twin = b.Add(6, MakeEmbedding(1, 5));  // near the rejected face only
  const auto person = Cluster(b);
  EXPECT_NE(person[rejected], 7);
  // Its own group may form, but never under person 7.
  if (person[rejected] != 0) {
    EXPECT_EQ(person[rejected], person[twin]);
  }
}

TEST(Rejections, AGroupHoldingARejectedFaceDoesNotTakeOverThatPersonsId) {
  // Person 4 is unpinned (grouping made it); one of its former faces was rejected for it.
  InputBuilder b;
  b.Person(4, false);
  std::vector<size_t> faces;
  for (int v = 1; v <= 4; ++v) faces.push_back(b.Add(v, MakeEmbedding(1, v), 4));
  b.Reject(faces[0], 4);
  const auto person = Cluster(b);
  EXPECT_NE(person[faces[0]], 4);
}

TEST(Chaining, TwoPeopleBridgedByInBetweenFacesStayApart) {
  // Faces on the straight line from Amy to Bob, each within eps of the next: single linkage
  // alone makes one person of all of them; the centroid rule does not.
  InputBuilder b;
  std::vector<size_t> amy, bob;
  for (int v = 1; v <= 8; ++v) amy.push_back(b.Add(v, MakeEmbedding(1, v)));
  for (int v = 1; v <= 8; ++v) bob.push_back(b.Add(100 + v, MakeEmbedding(2, v)));
  const Embedding a = MakeEmbedding(1), c = MakeEmbedding(2);
  for (int step = 1; step <= 4; ++step) {
    Embedding between(a.size());
    for (size_t k = 0; k < a.size(); ++k) between[k] = a[k] + (c[k] - a[k]) * static_cast<float>(step) / 5.f;
    b.Add(200 + step, between);
  }
  auto person = Cluster(b);
  EXPECT_NE(person[amy[0]], 0);
  EXPECT_NE(person[amy[0]], person[bob[0]]);
  for (size_t f : amy) EXPECT_EQ(person[f], person[amy[0]]);
  for (size_t f : bob) EXPECT_EQ(person[f], person[bob[0]]);

  GroupingOptions single_linkage;
  single_linkage.max_centroid_distance = 0;
  person = Cluster(b, GroupingMode::kFull, single_linkage);
  EXPECT_EQ(person[amy[0]], person[bob[0]]) << "the chain the rule exists for";
}

TEST(Noise, AFaceSeenOnceStaysUnassignedUnlessMinPointsIsOne) {
  InputBuilder b;
  const size_t pair1 = b.Add(1, MakeEmbedding(1, 1)), pair2 = b.Add(2, MakeEmbedding(1, 2));
  const size_t lonely = b.Add(3, MakeEmbedding(2, 1));
  auto person = Cluster(b);
  EXPECT_NE(person[pair1], 0) << "two faces make a person";
  EXPECT_EQ(person[pair1], person[pair2]);
  EXPECT_EQ(person[lonely], 0);
  GroupingOptions everyone;
  everyone.min_points = 1;
  person = Cluster(b, GroupingMode::kFull, everyone);
  EXPECT_NE(person[lonely], 0);
  EXPECT_NE(person[lonely], person[pair1]);
}

TEST(Noise, FacesTheUserUnassignedAreLeftAlone) {
  InputBuilder b;
  std::vector<size_t> amy;
  for (int v = 1; v <= 4; ++v) amy.push_back(b.Add(v, MakeEmbedding(1, v)));
  const size_t out = b.Add(5, MakeEmbedding(1, 5), 0, Assignment::kUser);
  const auto person = Cluster(b);
  EXPECT_EQ(person[out], 0);
  EXPECT_NE(person[amy[0]], 0);
}

TEST(Incremental, NewFacesJoinExistingPeopleOrFormNewOnes) {
  InputBuilder b;
  b.Person(5, false);
  b.Person(6, false);
  for (int v = 1; v <= 3; ++v) b.Add(v, MakeEmbedding(1, v), 5);
  for (int v = 1; v <= 3; ++v) b.Add(10 + v, MakeEmbedding(2, v), 6);
  const size_t amy = b.Add(20, MakeEmbedding(1, 20));
  const size_t bob = b.Add(21, MakeEmbedding(2, 21));
  const size_t new1 = b.Add(22, MakeEmbedding(3, 1)), new2 = b.Add(23, MakeEmbedding(3, 2));
  const size_t stranger = b.Add(24, MakeEmbedding(4, 1));
  auto out = GroupFaces(b.input(), GroupingMode::kIncremental);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->person[amy], 5);
  EXPECT_EQ(out->person[bob], 6);
  EXPECT_EQ(out->person[new1], -1) << "a new person";
  EXPECT_EQ(out->person[new2], -1);
  EXPECT_EQ(out->person[stranger], 0);
  EXPECT_EQ(out->new_persons, 1);
  for (size_t i = 0; i < 6; ++i)
    EXPECT_EQ(out->person[i], b.input().faces[i].person_id) << "existing faces stay";
}

TEST(Incremental, ANewFaceDoesNotJoinAPersonAlreadyInItsPhoto) {
  InputBuilder b;
  b.Person(5, false);
  for (int v = 1; v <= 3; ++v) b.Add(v, MakeEmbedding(1, v), 5);
  const size_t twin = b.Add(1, MakeEmbedding(1, 9));  // a second "Amy" in Amy's photo 1
  auto out = GroupFaces(b.input(), GroupingMode::kIncremental);
  ASSERT_TRUE(out.ok());
  EXPECT_NE(out->person[twin], 5);
}

TEST(Validation, InconsistentInputIsRefused) {
  InputBuilder b;
  b.Add(1, MakeEmbedding(1));
  b.input().embeddings.pop_back();
  EXPECT_EQ(GroupFaces(b.input(), GroupingMode::kFull).status().code(), ErrorCode::kInvalidArgument);
  InputBuilder ok;
  ok.Add(1, MakeEmbedding(1));
  GroupingOptions bad;
  bad.eps = 0;
  EXPECT_EQ(GroupFaces(ok.input(), GroupingMode::kFull, bad).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(GroupFaces(GroupingInput{}, GroupingMode::kFull).ok()) << "no faces, no people";
}

}  // namespace
}  // namespace facetag::testing
