// What the CLI asks: people with counts and a sample, photos with several people, who appears
// with whom, and the whole export.
#include "catalog/catalog_fixture.h"

namespace facetag::testing {
namespace {

class Queries : public CatalogTest {
 protected:
  void SetUp() override {
    CatalogTest::SetUp();
    // Identities 1 (Amy), 2 (Bob), 3 (Cat) across four photos.
    p_[0] = AddPhoto("/lib/a.jpg", "a", {1, 2, 3});
    p_[1] = AddPhoto("/lib/b.jpg", "b", {1, 2});
    p_[2] = AddPhoto("/lib/c.jpg", "c", {1, 3});
    p_[3] = AddPhoto("/lib/d.jpg", "d", {2, 1});
    std::vector<std::vector<int64_t>> groups(3);
    const std::vector<std::vector<int>> identities = {{1, 2, 3}, {1, 2}, {1, 3}, {2, 1}};
    for (int p = 0; p < 4; ++p) {
      const auto faces = FaceIds(p_[p]);
      for (size_t k = 0; k < faces.size(); ++k)
        groups[static_cast<size_t>(identities[p][k] - 1)].push_back(faces[k]);
    }
    const auto ids = MakePersons(groups);
    amy_ = ids[0], bob_ = ids[1], cat_ = ids[2];
    ASSERT_TRUE(catalog().NamePerson(amy_, "Amy").ok());
  }

  int64_t p_[4] = {};
  int64_t amy_ = 0, bob_ = 0, cat_ = 0;
};

TEST_F(Queries, ListsPersonsWithCountsMostFacesFirstAndASampleFace) {
  auto people = catalog().ListPersons();
  ASSERT_TRUE(people.ok());
  ASSERT_EQ(people->size(), 3u);
  EXPECT_EQ((*people)[0].person.id, amy_);
  EXPECT_EQ((*people)[0].person.name, "Amy");
  EXPECT_EQ((*people)[0].face_count, 4);
  EXPECT_EQ((*people)[0].photo_count, 4);
  EXPECT_EQ((*people)[1].person.id, bob_);
  EXPECT_EQ((*people)[1].face_count, 3);
  EXPECT_EQ((*people)[2].face_count, 2);
  const auto& sample = (*people)[0];
  ASSERT_NE(sample.sample_face_id, 0);
  EXPECT_EQ(catalog().GetFace(sample.sample_face_id)->person_id, amy_);
  EXPECT_EQ(catalog().GetPhoto(sample.sample_photo_id)->path, sample.sample_path);
  EXPECT_GT(sample.sample_box.width, 0);
}

TEST_F(Queries, PhotosWithAllOfSeveralPeople) {
  auto both = catalog().PhotosWithAll({amy_, bob_});
  ASSERT_TRUE(both.ok());
  std::vector<std::string> paths;
  for (const auto& p : *both) paths.push_back(p.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"/lib/a.jpg", "/lib/b.jpg", "/lib/d.jpg"}));
  auto three = catalog().PhotosWithAll({cat_, amy_, bob_, amy_});
  ASSERT_TRUE(three.ok());
  ASSERT_EQ(three->size(), 1u);
  EXPECT_EQ((*three)[0].path, "/lib/a.jpg");
  EXPECT_EQ(catalog().PhotosWithAll({amy_})->size(), 4u);
  EXPECT_EQ(catalog().PhotosWithAll({}).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(Queries, TogetherRanksCompanionsBySharedPhotos) {
  auto with_amy = catalog().Together(amy_);
  ASSERT_TRUE(with_amy.ok());
  ASSERT_EQ(with_amy->size(), 2u);
  EXPECT_EQ((*with_amy)[0].person.id, bob_);
  EXPECT_EQ((*with_amy)[0].shared_photos, 3);
  EXPECT_EQ((*with_amy)[1].person.id, cat_);
  EXPECT_EQ((*with_amy)[1].shared_photos, 2);
  auto with_cat = catalog().Together(cat_);
  ASSERT_TRUE(with_cat.ok());
  ASSERT_EQ(with_cat->size(), 2u);
  EXPECT_EQ((*with_cat)[0].person.name, "Amy");
  EXPECT_EQ(catalog().Together(999).status().code(), ErrorCode::kNotFound);
}

TEST_F(Queries, ExportHasEveryPhotoWithItsFacesAndEveryPerson) {
  auto faces = FaceIds(p_[0]);
  ASSERT_TRUE(catalog().UnassignFace(faces[2]).ok());
  auto out = catalog().Export();
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->photos.size(), 4u);
  EXPECT_EQ(out->photos[0].photo.path, "/lib/a.jpg");
  ASSERT_EQ(out->photos[0].faces.size(), 3u);
  EXPECT_EQ(out->photos[0].faces[0].person_id, amy_);
  EXPECT_EQ(out->photos[0].faces[2].person_id, 0);
  EXPECT_GT(out->photos[0].faces[1].box.x, out->photos[0].faces[0].box.x);
  ASSERT_EQ(out->people.size(), 3u);
  EXPECT_EQ(out->people[0].name, "Amy");
}

}  // namespace
}  // namespace facetag::testing
