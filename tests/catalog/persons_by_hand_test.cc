// Persons the recognition service makes and deletes by hand.
#include "catalog/catalog_fixture.h"

namespace facetag::testing {
namespace {

class PersonsByHand : public CatalogTest {};

TEST_F(PersonsByHand, CreateMakesAPinnedNamedPersonWithoutFaces) {
  const int64_t before = *catalog().CorrectionsVersion();
  auto id = catalog().CreatePerson("Ada");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto person = catalog().GetPerson(*id);
  ASSERT_TRUE(person.ok());
  EXPECT_EQ(person->name, "Ada");
  EXPECT_TRUE(person->pinned);
  EXPECT_GT(*catalog().CorrectionsVersion(), before);
  // A face moved to it stays there through re-clustering's input (user assignment).
  const int64_t photo = AddPhoto("/lib/1.jpg", "1", {1});
  const auto faces = FaceIds(photo);
  ASSERT_TRUE(catalog().MoveFace(faces[0], *id).ok());
  EXPECT_EQ(catalog().GetFace(faces[0])->person_id, *id);
}

TEST_F(PersonsByHand, DeleteForgetsThePersonAndItsFacesButKeepsPhotosAndOthers) {
  const int64_t photo = AddPhoto("/lib/1.jpg", "1", {1, 2});
  const auto faces = FaceIds(photo);
  auto ada = catalog().CreatePerson("Ada");
  auto bob = catalog().CreatePerson("Bob");
  ASSERT_TRUE(catalog().MoveFace(faces[0], *ada).ok());
  ASSERT_TRUE(catalog().MoveFace(faces[1], *bob).ok());
  ASSERT_TRUE(catalog().DeletePerson(*ada).ok());
  EXPECT_EQ(catalog().GetPerson(*ada).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(catalog().GetFace(faces[0]).status().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(catalog().GetPhoto(photo).ok());
  EXPECT_EQ(catalog().GetFace(faces[1])->person_id, *bob);
  EXPECT_EQ(catalog().DeletePerson(*ada).code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace facetag::testing
