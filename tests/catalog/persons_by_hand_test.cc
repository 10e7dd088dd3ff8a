// Persons the recognition service makes and deletes by hand.
#include <sys/stat.h>

#include "catalog/catalog_fixture.h"
#include "facetag/grouping_io.h"

namespace facetag::testing {
namespace {

class PersonsByHand : public CatalogTest {};

TEST_F(PersonsByHand, CreateMakesAPinnedNamedPersonWithoutFaces) {
  const int64_t before = *CorrectionsVersion(catalog());
  auto id = catalog().CreatePerson("Ada");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto person = catalog().GetPerson(*id);
  ASSERT_TRUE(person.ok());
  EXPECT_EQ(person->name, "Ada");
  EXPECT_TRUE(person->pinned);
  EXPECT_GT(*CorrectionsVersion(catalog()), before);
  // A face moved to it stays there through re-grouping's input (user assignment).
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

// Names typed anywhere go through the catalog, so the CLI and the API refuse the same ones.
TEST_F(PersonsByHand, NamesMustBeShortPrintableUtf8) {
  for (const std::string& ok : {std::string(""), std::string("Ada"), std::string("Zoë Ødegård 李"),
                                std::string(200, 'a'), std::string("O'Brien-Smith, Jr.")}) {
    EXPECT_TRUE(ValidatePersonName(ok).ok()) << ok;
  }
  // 200 characters of two bytes each are 400 bytes, and still fine.
  std::string two_byte;
  for (int i = 0; i < 200; ++i) two_byte += "\xC3\xA9";
  EXPECT_TRUE(ValidatePersonName(two_byte).ok());
  for (const std::string& bad :
       {std::string(201, 'a'), two_byte + "e", std::string("Bad\xff"), std::string("\xC0\xAF"),
        std::string("\xED\xA0\x80"), std::string("Esc\x1b[31m"), std::string("Nul\0x", 5),
        std::string("Del\x7f"), std::string("C1\xC2\x9B"), std::string("Cut\xE2\x82")}) {
    EXPECT_EQ(ValidatePersonName(bad).code(), ErrorCode::kInvalidArgument) << bad;
  }
  auto id = catalog().CreatePerson("Ada");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(catalog().NamePerson(*id, "Bad\xff").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(catalog().CreatePerson(std::string(201, 'a')).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(catalog().GetPerson(*id)->name, "Ada");
}

TEST_F(PersonsByHand, AddFaceForPersonAppendsAUserFaceToAKnownPhoto) {
  const int64_t photo = AddPhoto("/lib/1.jpg", "1", {1});
  auto ada = catalog().CreatePerson("Ada");
  ASSERT_TRUE(ada.ok());
  auto face = catalog().AddFaceForPerson(photo, MakeFace(MakeEmbedding(2), 300.f), *ada);
  ASSERT_TRUE(face.ok()) << face.status().ToString();
  const auto faces = catalog().FacesOfPhoto(photo);
  ASSERT_TRUE(faces.ok());
  ASSERT_EQ(faces->size(), 2u);
  EXPECT_EQ(faces->back().id, *face);
  EXPECT_EQ(faces->back().ordinal, 1);
  EXPECT_EQ(faces->back().person_id, *ada);
  EXPECT_EQ(faces->back().assignment, Assignment::kUser);
  EXPECT_EQ(catalog().AddFaceForPerson(424242, MakeFace(MakeEmbedding(2), 0.f), *ada).status().code(),
            ErrorCode::kNotFound);
}

TEST_F(PersonsByHand, ForgetPhotoRemovesItsRowPathsAndFaces) {
  const int64_t photo = AddPhoto("/lib/1.jpg", "1", {1, 2});
  const auto faces = FaceIds(photo);
  ASSERT_TRUE(catalog().ForgetPhoto(photo).ok());
  EXPECT_EQ(catalog().GetPhoto(photo).status().code(), ErrorCode::kNotFound);
  for (int64_t f : faces) EXPECT_EQ(catalog().GetFace(f).status().code(), ErrorCode::kNotFound);
  auto counts = catalog().GetCounts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->photos, 0);
  EXPECT_EQ(counts->faces, 0);
}

// A new catalog and its folder are private whatever the umask.
TEST(CatalogFiles, CreatedPrivate) {
  TempDir dir;
  const mode_t old_umask = ::umask(022);
  {
    auto catalog = Catalog::Open(dir.path() / "new" / "catalog.db");
    ASSERT_TRUE(catalog.ok());
    ASSERT_TRUE((*catalog)->CreatePerson("Ada").ok());
    struct stat st {};
    ASSERT_EQ(::stat((dir.path() / "new" / "catalog.db-wal").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
  }
  ::umask(old_umask);
  struct stat st {};
  ASSERT_EQ(::stat((dir.path() / "new").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat((dir.path() / "new" / "catalog.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

}  // namespace
}  // namespace facetag::testing
