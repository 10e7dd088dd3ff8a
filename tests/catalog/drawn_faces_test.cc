// Faces the user drew where the detector found none (POST /photos/{id}/faces): stored as drawn,
// named like any face, kept through a re-analysis of changed content while their box lies
// inside the photo, and undoable like every correction.
#include "catalog/catalog_fixture.h"

namespace facetag::testing {
namespace {

class DrawnFaces : public CatalogTest {
 protected:
  Face Drawn(float x, float y, float w, float h, int identity = 9) {
    Face f = MakeFace(MakeEmbedding(identity));
    f.box = {x, y, w, h};
    f.score = 0;
    return f;
  }
};

TEST_F(DrawnFaces, AreStoredAsDrawnBelongingToNobodyBesideTheDetectedOnes) {
  const int64_t photo = AddPhoto("/p/a.jpg", "a", {1, 2});
  auto id = catalog().AddDrawnFace(photo, Drawn(500, 300, 60, 70));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto face = catalog().GetFace(*id);
  ASSERT_TRUE(face.ok());
  EXPECT_TRUE(face->drawn);
  EXPECT_EQ(face->person_id, 0);
  EXPECT_EQ(face->face.embedding.size(), 128u);
  EXPECT_LT(face->ordinal, 0);  // never the ordinal of a detection
  EXPECT_EQ(catalog().FacesOfPhoto(photo)->size(), 3u);
  EXPECT_EQ(catalog().RecentCorrections()->front().kind, "draw");
  // A second one gets its own ordinal.
  auto second = catalog().AddDrawnFace(photo, Drawn(400, 300, 60, 70));
  ASSERT_TRUE(second.ok());
  EXPECT_NE(catalog().GetFace(*second)->ordinal, face->ordinal);
}

TEST_F(DrawnFaces, BoxesOutsideThePhotoOrWithoutAreaAreRefusedAndNothingIsStored) {
  const int64_t photo = AddPhoto("/p/a.jpg", "a", {1});  // 640 x 480
  for (const Box& bad : {Box{600, 10, 60, 60}, Box{-1, 10, 60, 60}, Box{10, 10, 0, 60}, Box{10, 450, 60, 60},
                         Box{10, 10, std::nanf(""), 60}}) {
    auto id = catalog().AddDrawnFace(photo, Drawn(bad.x, bad.y, bad.width, bad.height));
    EXPECT_EQ(id.status().code(), ErrorCode::kInvalidArgument) << bad.x << "," << bad.y;
  }
  EXPECT_EQ(catalog().AddDrawnFace(photo + 100, Drawn(10, 10, 50, 50)).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(catalog().FacesOfPhoto(photo)->size(), 1u);
  EXPECT_TRUE(catalog().RecentCorrections()->empty());
}

TEST_F(DrawnFaces, ANamedDrawnFaceSurvivesAReanalysisOfChangedContentWhileInside) {
  const int64_t photo = AddPhoto("/p/a.jpg", "a", {1});
  const int64_t inside = *catalog().AddDrawnFace(photo, Drawn(500, 300, 60, 70));
  const int64_t outside_later = *catalog().AddDrawnFace(photo, Drawn(100, 400, 60, 70));
  auto ada = catalog().MoveFaceToNewPerson(inside, "Ada");
  ASSERT_TRUE(ada.ok());

  // The file changed (edited, re-saved): new content at the same path, analysed again, and now
  // only 640 x 440 (cropped): the second drawn box hangs out of it.
  PhotoInput edited = MakePhoto("/p/a.jpg", "a, edited", 2000);
  edited.height = 440;
  auto replaced =
      catalog().AddPhotoResult(edited, {MakeFace(MakeEmbedding(1, 5)), MakeFace(MakeEmbedding(2, 5), 200)});
  ASSERT_TRUE(replaced.ok()) << replaced.status().ToString();
  ASSERT_EQ(replaced->kind, AddPhotoOutcome::Kind::kReplaced);
  ASSERT_EQ(replaced->photo_id, photo);

  auto faces = catalog().FacesOfPhoto(photo);
  ASSERT_TRUE(faces.ok());
  ASSERT_EQ(faces->size(), 3u);  // two new detections and the drawn face that still fits
  auto kept = catalog().GetFace(inside);
  ASSERT_TRUE(kept.ok()) << "the drawn face went with the re-analysis";
  EXPECT_TRUE(kept->drawn);
  EXPECT_EQ(kept->person_id, *ada);
  EXPECT_EQ(catalog().GetPerson(*ada)->name, "Ada");
  EXPECT_EQ(catalog().GetFace(outside_later).status().code(), ErrorCode::kNotFound);
}

TEST_F(DrawnFaces, UndoRemovesTheDrawnFace) {
  const int64_t photo = AddPhoto("/p/a.jpg", "a", {1});
  const int64_t id = *catalog().AddDrawnFace(photo, Drawn(500, 300, 60, 70));
  auto undone = catalog().UndoLastCorrection();
  ASSERT_TRUE(undone.ok()) << undone.status().ToString();
  EXPECT_EQ(undone->kind, "draw");
  EXPECT_EQ(catalog().GetFace(id).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(catalog().FacesOfPhoto(photo)->size(), 1u);
}

// Naming it, then undoing twice: first the name goes, then the face.
TEST_F(DrawnFaces, UndoWalksBackTheNamingThenTheDrawing) {
  const int64_t photo = AddPhoto("/p/a.jpg", "a", {1});
  const int64_t id = *catalog().AddDrawnFace(photo, Drawn(500, 300, 60, 70));
  ASSERT_TRUE(catalog().MoveFaceToNewPerson(id, "Ada").ok());
  ASSERT_TRUE(catalog().UndoLastCorrection().ok());
  EXPECT_EQ(catalog().GetFace(id)->person_id, 0);
  EXPECT_TRUE(catalog().FindPersonsByName("Ada")->empty());
  ASSERT_TRUE(catalog().UndoLastCorrection().ok());
  EXPECT_EQ(catalog().GetFace(id).status().code(), ErrorCode::kNotFound);
}

// How sure an automatic grouping was: the distance from the face to its person's other faces.
TEST_F(DrawnFaces, DistanceToOwnPersonIsMeasuredAgainstTheOtherFaces) {
  const int64_t p1 = AddPhoto("/p/1.jpg", "1", {1});
  const int64_t p2 = AddPhoto("/p/2.jpg", "2", {1}, /*variant=*/5);
  const int64_t a = FaceIds(p1)[0], b = FaceIds(p2)[0];
  EXPECT_FALSE(catalog().DistanceToOwnPerson(a)->has_value());  // nobody's
  MakePersons({{a, b}});
  auto d = catalog().DistanceToOwnPerson(a);
  ASSERT_TRUE(d.ok() && d->has_value());
  const auto ea = catalog().GetFace(a)->face.embedding, eb = catalog().GetFace(b)->face.embedding;
  float expected = 0;
  for (size_t i = 0; i < ea.size(); ++i) expected += (ea[i] - eb[i]) * (ea[i] - eb[i]);
  EXPECT_NEAR(**d, std::sqrt(expected), 1e-4);
  EXPECT_GT(**d, 0.f);
}

}  // namespace
}  // namespace facetag::testing
