// The one rule for naming a face that is not in the catalog (facetag/known_faces.h), as
// `facetag whois`, /recognize and the cluster head use it.
#include "facetag/known_faces.h"

#include "people/people_fixture.h"

namespace facetag::testing {
namespace {

class KnownFacesTest : public CatalogTest {
 protected:
  // A photo of one face with this embedding, moved to a new person of this name; the face id.
  int64_t FaceOf(const std::string& name, const Embedding& e) {
    const std::string content = "photo " + std::to_string(++photos_);
    auto added = catalog().AddPhotoResult(MakePhoto("/lib/" + content + ".jpg", content), {MakeFace(e)});
    EXPECT_TRUE(added.ok());
    const int64_t face = FaceIdsOf(added->photo_id);
    auto person = persons_.count(name) ? persons_[name] : (persons_[name] = *catalog().CreatePerson(name));
    EXPECT_TRUE(catalog().MoveFace(face, person).ok());
    return face;
  }
  int64_t FaceIdsOf(int64_t photo) { return catalog().FacesOfPhoto(photo)->front().id; }

  int photos_ = 0;
  std::map<std::string, int64_t> persons_;
};

TEST_F(KnownFacesTest, AFaceEquallyCloseToTwoPeopleIsNobody) {
  FaceOf("Ada", MakeEmbedding(1));
  FaceOf("Bea", MakeEmbedding(1));
  FaceOf("Cy", MakeEmbedding(2));
  auto who = IdentifyFaces(catalog(), {MakeEmbedding(1, 5), MakeEmbedding(2, 5)});
  ASSERT_TRUE(who.ok());
  EXPECT_LT((*who)[0].nearest, kMatchDistance) << "both are within reach";
  EXPECT_EQ((*who)[0].person_id, 0) << "but a tie is not a name";
  EXPECT_EQ((*who)[1].name, "Cy");
}

TEST_F(KnownFacesTest, OfTwoEquallyNearFacesOfAPersonTheLowerIdIsTheMatch) {
  const int64_t first = FaceOf("Ada", MakeEmbedding(1));
  FaceOf("Ada", MakeEmbedding(1));
  auto who = IdentifyFaces(catalog(), {MakeEmbedding(1, 3)});
  ASSERT_TRUE(who.ok());
  EXPECT_EQ((*who)[0].name, "Ada");
  EXPECT_EQ((*who)[0].nearest_face_id, first);
}

TEST_F(KnownFacesTest, ARunnerUpWithinTheMarginLeavesTheFaceUnnamed) {
  FaceOf("Ada", MakeEmbedding(1));
  FaceOf("Bea", MakeEmbedding(1, 9, 0.002f));  // nearly Ada's face
  IdentifyOptions no_margin;
  no_margin.margin = 0;
  auto strict = IdentifyFaces(catalog(), {MakeEmbedding(1)});
  auto loose = IdentifyFaces(catalog(), {MakeEmbedding(1)}, no_margin);
  ASSERT_TRUE(strict.ok() && loose.ok());
  EXPECT_EQ((*strict)[0].person_id, 0);
  EXPECT_EQ((*loose)[0].name, "Ada");
}

// The service's cache answers exactly as a fresh index does, and sees renames once invalidated.
TEST_F(KnownFacesTest, TheCacheAnswersAsAFreshIndex) {
  // Not "P" + std::to_string(id): GCC 12 warns there (-Wrestrict, a false positive).
  for (int id = 1; id <= 6; ++id) FaceOf(std::string(1, 'P').append(std::to_string(id)), MakeEmbedding(id));
  std::vector<Embedding> query;
  for (int id = 1; id <= 8; ++id) query.push_back(MakeEmbedding(id, 11, 0.04f));
  auto cached_catalog = Catalog::Open(db_path());
  ASSERT_TRUE(cached_catalog.ok());
  KnownFaces cache(std::move(*cached_catalog), IdentifyOptions{});
  auto fresh = IdentifyFaces(catalog(), query);
  auto cached = cache.Identify(query);
  ASSERT_TRUE(fresh.ok() && cached.ok());
  for (size_t i = 0; i < query.size(); ++i) {
    EXPECT_EQ((*cached)[i].person_id, (*fresh)[i].person_id) << i;
    EXPECT_EQ((*cached)[i].nearest_face_id, (*fresh)[i].nearest_face_id) << i;
    EXPECT_FLOAT_EQ((*cached)[i].distance, (*fresh)[i].distance) << i;
  }
  ASSERT_TRUE(catalog().NamePerson(persons_["P1"], "Renamed").ok());
  cache.Invalidate();
  EXPECT_EQ((*cache.Identify(query))[0].name, "Renamed");
}

}  // namespace
}  // namespace facetag::testing
