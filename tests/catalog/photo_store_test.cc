// Indexing semantics: photos are content; paths are where content lives.
#include "catalog/catalog_fixture.h"

namespace facetag::testing {
namespace {

using Kind = AddPhotoOutcome::Kind;

class PhotoStore : public CatalogTest {
 protected:
  // Puts every face of `photo_id` on a new person named `name`; returns the person id.
  int64_t NameFacesOf(int64_t photo_id, const std::string& name) {
    auto id = catalog().MoveFaceToNewPerson(FaceIds(photo_id).at(0));
    EXPECT_TRUE(id.ok());
    for (int64_t face : FaceIds(photo_id)) EXPECT_TRUE(catalog().MoveFace(face, *id).ok());
    EXPECT_TRUE(catalog().NamePerson(*id, name).ok());
    return *id;
  }
};

TEST_F(PhotoStore, StoresAPhotoWithItsFacesExactly) {
  std::vector<Face> faces = {MakeFace(MakeEmbedding(1, 1), 5), MakeFace(MakeEmbedding(2, 1), 300)};
  auto out = catalog().AddPhotoResult(MakePhoto("/lib/a.jpg", "A"), faces);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->kind, Kind::kAdded);
  EXPECT_EQ(out->faces_added, 2);

  auto photo = catalog().GetPhoto(out->photo_id);
  ASSERT_TRUE(photo.ok());
  EXPECT_EQ(photo->path, "/lib/a.jpg");
  EXPECT_EQ(photo->status, PhotoStatus::kOk);
  EXPECT_EQ(photo->width, 640);
  EXPECT_EQ(photo->content_hash.size(), 64u);

  auto stored = catalog().FacesOfPhoto(out->photo_id);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const auto& s = (*stored)[i];
    EXPECT_EQ(s.ordinal, static_cast<int>(i));
    EXPECT_EQ(s.person_id, 0);
    EXPECT_EQ(s.assignment, Assignment::kAuto);
    EXPECT_FLOAT_EQ(s.face.box.x, faces[i].box.x);
    EXPECT_FLOAT_EQ(s.face.box.height, faces[i].box.height);
    EXPECT_FLOAT_EQ(s.face.score, faces[i].score);
    EXPECT_EQ(s.face.embedding, faces[i].embedding);
    EXPECT_FLOAT_EQ(s.face.landmarks[67].y, faces[i].landmarks[67].y);
  }
}

TEST_F(PhotoStore, AnUnchangedFileIsFoundByPathSizeAndMtimeWithoutHashing) {
  AddPhoto("/lib/a.jpg", "A", {1});
  const auto stat = MakePhoto("/lib/a.jpg", "A").stat;
  auto hit = catalog().FindByPathAndStat("/lib/a.jpg", stat);
  ASSERT_TRUE(hit.ok());
  ASSERT_TRUE(hit->has_value());
  EXPECT_EQ((*hit)->path, "/lib/a.jpg");

  auto touched = catalog().FindByPathAndStat("/lib/a.jpg", {stat.size, stat.mtime_ns + 1});
  ASSERT_TRUE(touched.ok());
  EXPECT_FALSE(touched->has_value()) << "a new mtime means: hash it again";
  auto elsewhere = catalog().FindByPathAndStat("/lib/b.jpg", stat);
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_FALSE(elsewhere->has_value());
}

TEST_F(PhotoStore, AMovedFileKeepsItsFacesAndTheirNames) {
  const int64_t photo = AddPhoto("/lib/old/a.jpg", "A", {1, 2});
  const auto faces_before = FaceIds(photo);
  const int64_t amy = NameFacesOf(photo, "Amy");

  // The indexer sees an unknown path, hashes it, finds the content, records the path.
  auto known = catalog().FindByHash(MakePhoto("", "A").content_hash);
  ASSERT_TRUE(known.ok());
  ASSERT_TRUE(known->has_value());
  EXPECT_EQ((*known)->id, photo);
  ASSERT_TRUE(catalog().RecordPath(photo, "/lib/new/a.jpg", {1, 2000}).ok());
  auto missing = catalog().MarkMissing("/lib", {"/lib/new/a.jpg"});
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(*missing, 0) << "the photo still lives at its new path";

  auto moved = catalog().GetPhoto(photo);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->path, "/lib/new/a.jpg");
  EXPECT_EQ(moved->status, PhotoStatus::kOk);
  EXPECT_EQ(FaceIds(photo), faces_before);
  for (int64_t face : faces_before) EXPECT_EQ(catalog().GetFace(face)->person_id, amy);
  EXPECT_EQ(catalog().GetPerson(amy)->name, "Amy");
  auto old_path = catalog().FindByPathAndStat("/lib/old/a.jpg", MakePhoto("", "A").stat);
  ASSERT_TRUE(old_path.ok());
  EXPECT_FALSE(old_path->has_value());
}

TEST_F(PhotoStore, AddingKnownContentAtANewPathIsAMoveNotANewPhoto) {
  const int64_t photo = AddPhoto("/lib/a.jpg", "A", {1});
  const auto faces = FaceIds(photo);
  auto again = catalog().AddPhotoResult(MakePhoto("/lib/renamed.jpg", "A"), {MakeFace(MakeEmbedding(9))});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->kind, Kind::kKnownContent);
  EXPECT_EQ(again->photo_id, photo);
  EXPECT_EQ(FaceIds(photo), faces) << "known content keeps its faces (and so their names)";
  EXPECT_EQ(catalog().GetCounts()->photos, 1);
}

TEST_F(PhotoStore, ACopyLivesAtBothPathsAndSurvivesTheDeletionOfEither) {
  const int64_t photo = AddPhoto("/lib/a.jpg", "A", {1});
  ASSERT_TRUE(catalog().RecordPath(photo, "/lib/copy/a.jpg", MakePhoto("", "A").stat).ok());
  for (const char* path : {"/lib/a.jpg", "/lib/copy/a.jpg"}) {
    auto hit = catalog().FindByPathAndStat(path, MakePhoto("", "A").stat);
    ASSERT_TRUE(hit.ok());
    EXPECT_TRUE(hit->has_value()) << path << ": a second run skips both copies without hashing";
  }
  ASSERT_EQ(*catalog().MarkMissing("/lib", {"/lib/copy/a.jpg"}), 0);
  EXPECT_EQ(catalog().GetPhoto(photo)->path, "/lib/copy/a.jpg");
  EXPECT_EQ(catalog().GetPhoto(photo)->status, PhotoStatus::kOk);
}

TEST_F(PhotoStore, AChangedFileIsReprocessedAndItsOldFacesReplaced) {
  const int64_t photo = AddPhoto("/lib/a.jpg", "version 1", {1, 2});
  const auto old_faces = FaceIds(photo);
  auto out =
      catalog().AddPhotoResult(MakePhoto("/lib/a.jpg", "version 2", 2000), {MakeFace(MakeEmbedding(3))});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->kind, Kind::kReplaced);
  EXPECT_EQ(out->photo_id, photo) << "the path keeps its photo id";
  const auto new_faces = FaceIds(photo);
  ASSERT_EQ(new_faces.size(), 1u);
  for (int64_t old : old_faces) EXPECT_EQ(catalog().GetFace(old).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(catalog().GetPhoto(photo)->content_hash, MakePhoto("", "version 2").content_hash);
  EXPECT_FALSE(catalog().FindByHash(MakePhoto("", "version 1").content_hash)->has_value());
  EXPECT_EQ(catalog().GetCounts()->faces, 1);
}

TEST_F(PhotoStore, ADeletedFileIsMarkedMissingAndComesBackWithItsNames) {
  const int64_t photo = AddPhoto("/lib/a.jpg", "A", {1});
  const int64_t amy = NameFacesOf(photo, "Amy");
  AddPhoto("/other/b.jpg", "B", {2});

  auto missing = catalog().MarkMissing("/lib/", {});
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(*missing, 1);
  EXPECT_EQ(catalog().GetPhoto(photo)->status, PhotoStatus::kMissing);
  EXPECT_EQ(catalog().GetCounts()->missing, 1) << "only files under the scanned root";
  EXPECT_EQ(catalog().GetFace(FaceIds(photo)[0])->person_id, amy) << "faces and names are kept";

  // The drive is back (or the file restored, possibly elsewhere).
  ASSERT_TRUE(catalog().RecordPath(photo, "/lib/a.jpg", MakePhoto("", "A").stat).ok());
  EXPECT_EQ(catalog().GetPhoto(photo)->status, PhotoStatus::kOk);
  EXPECT_EQ(catalog().GetFace(FaceIds(photo)[0])->person_id, amy);
}

TEST_F(PhotoStore, MarkMissingOnlyConsidersPathsUnderTheRootFolder) {
  AddPhoto("/lib/a.jpg", "A", {1});
  AddPhoto("/lib2/b.jpg", "B", {1});  // shares the prefix "/lib" but not the folder
  ASSERT_EQ(*catalog().MarkMissing("/lib", {}), 1);
  EXPECT_EQ(catalog().FindByHash(MakePhoto("", "B").content_hash)->value().status, PhotoStatus::kOk);
}

TEST_F(PhotoStore, AFailedFileIsRecordedWithItsReasonAndRetriedWhenItChanges) {
  PhotoInput broken = MakePhoto("/lib/bad.jpg", "truncated");
  broken.status = PhotoStatus::kFailed;
  broken.error = "corrupt: truncated JPEG data";
  auto out = catalog().AddPhotoResult(broken, {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  auto failed = catalog().FailedPhotos();
  ASSERT_TRUE(failed.ok());
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ((*failed)[0].error, "corrupt: truncated JPEG data");
  EXPECT_TRUE(catalog().FindByPathAndStat("/lib/bad.jpg", broken.stat)->has_value())
      << "unchanged: not retried";

  auto fixed =
      catalog().AddPhotoResult(MakePhoto("/lib/bad.jpg", "complete", 2000), {MakeFace(MakeEmbedding(1))});
  ASSERT_TRUE(fixed.ok());
  EXPECT_EQ(fixed->kind, Kind::kReplaced);
  EXPECT_EQ(catalog().GetPhoto(fixed->photo_id)->status, PhotoStatus::kOk);
  EXPECT_TRUE(catalog().GetPhoto(fixed->photo_id)->error.empty());
  EXPECT_TRUE(catalog().FailedPhotos()->empty());
}

TEST_F(PhotoStore, AnUnreadableFileDoesNotLoseTheFacesOfItsLastReadableContent) {
  const int64_t photo = AddPhoto("/lib/a.jpg", "A", {1});
  const int64_t amy = NameFacesOf(photo, "Amy");
  PhotoInput unreadable;
  unreadable.path = "/lib/a.jpg";
  unreadable.stat = {1, 3000};
  unreadable.status = PhotoStatus::kFailed;
  unreadable.error = "i/o error: permission denied";
  ASSERT_TRUE(catalog().AddPhotoResult(unreadable, {}).ok());
  EXPECT_EQ(catalog().GetPhoto(photo)->status, PhotoStatus::kMissing);
  EXPECT_EQ(catalog().GetFace(FaceIds(photo)[0])->person_id, amy);

  // Readable again, same content: the old photo comes back and the failure record goes.
  auto back = catalog().AddPhotoResult(MakePhoto("/lib/a.jpg", "A", 4000), {MakeFace(MakeEmbedding(1))});
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->photo_id, photo);
  EXPECT_EQ(catalog().GetPhoto(photo)->status, PhotoStatus::kOk);
  EXPECT_TRUE(catalog().FailedPhotos()->empty());
  EXPECT_EQ(catalog().GetCounts()->photos, 1);
}

TEST_F(PhotoStore, RejectsInputsThatCannotBeRight) {
  PhotoInput no_hash = MakePhoto("/lib/a.jpg", "A");
  no_hash.content_hash.clear();
  EXPECT_EQ(catalog().AddPhotoResult(no_hash, {}).status().code(), ErrorCode::kInvalidArgument);
  PhotoInput failed_with_faces = MakePhoto("/lib/a.jpg", "A");
  failed_with_faces.status = PhotoStatus::kFailed;
  EXPECT_EQ(catalog().AddPhotoResult(failed_with_faces, {MakeFace(MakeEmbedding(1))}).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(catalog().RecordPath(999, "/x.jpg", {}).code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace facetag::testing
