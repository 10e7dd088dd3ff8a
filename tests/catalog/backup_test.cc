// BackupCatalog / RestoreCatalog through the library: schema versions (an older backup is
// upgraded, a newer one refused) and a backup taken while another connection writes.
#include "facetag/backup.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "catalog/catalog_fixture.h"
#include "facetag/grouping_io.h"

namespace facetag::testing {
namespace {

class BackupLibrary : public CatalogTest {
 protected:
  std::filesystem::path backup() const { return dir_.path() / "catalog.fbk"; }
  std::filesystem::path restored() const { return dir_.path() / "restored.db"; }

  // Runs SQL on a file directly, as another program (or an older facetag) would have.
  static void Sql(const std::filesystem::path& file, const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }
};

TEST_F(BackupLibrary, AnOlderBackupIsUpgradedByTheMigrations) {
  const int64_t photo = AddPhoto("/p/a.jpg", "a", {1, 2});
  const auto persons = MakePersons({{FaceIds(photo)[0]}, {FaceIds(photo)[1]}});
  ASSERT_TRUE(catalog().NamePerson(persons[0], "Ada").ok());
  ASSERT_TRUE(catalog().RejectFace(FaceIds(photo)[1], persons[0]).ok());
  auto info = BackupCatalog(db_path(), backup());
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->photos, 1);
  EXPECT_EQ(info->faces, 2);
  EXPECT_EQ(info->rejections, 1);
  // As a schema-2 facetag wrote it: no annotation or event tables, no drawn faces or timeline
  // key, no record of the migrations after 2.
  Sql(backup(),
      "DROP TRIGGER photos_taken_ai; DROP TRIGGER photos_taken_au; DROP INDEX photos_taken; "
      "ALTER TABLE photos DROP COLUMN taken_key; ALTER TABLE faces DROP COLUMN drawn; "
      "DROP TABLE photo_annotations_fts; DROP TABLE photo_annotations; DROP TABLE photo_exif; "
      "DROP TABLE recognition_events; DROP TABLE correction_log; DROP TABLE merge_dismissals; "
      "DROP TABLE settings; DELETE FROM schema_version WHERE version >= 3;");
  auto verified = VerifyBackup(backup());
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_EQ(verified->schema_version, 2);

  auto restored_info = RestoreCatalog(backup(), restored());
  ASSERT_TRUE(restored_info.ok()) << restored_info.status().ToString();
  auto copy = Catalog::Open(restored());
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(*(*copy)->SchemaVersion(), Catalog::LatestSchemaVersion());
  EXPECT_EQ((*copy)->GetPerson(persons[0])->name, "Ada");
  EXPECT_TRUE((*copy)->GetPerson(persons[0])->pinned);
  PhotoAnnotation a;
  a.photo_id = photo;
  a.content_hash = "x";
  a.context_hash = "y";
  a.caption = "a beach";
  EXPECT_TRUE((*copy)->SetAnnotation(a).ok()) << "the annotation tables came with the upgrade";
}

TEST_F(BackupLibrary, ARestoreMakesAGroupingThatReadTheOldCatalogStale) {
  const int64_t photo = AddPhoto("/p/a.jpg", "a", {1, 2});
  const auto persons = MakePersons({{FaceIds(photo)[0]}, {FaceIds(photo)[1]}});
  ASSERT_TRUE(BackupCatalog(db_path(), backup()).ok());
  for (const char* name : {"A", "B", "C"}) ASSERT_TRUE(catalog().NamePerson(persons[0], name).ok());
  const int64_t before = *CorrectionsVersion(catalog());
  // A grouping run read the catalog, then the catalog was replaced by an older backup.
  AssignmentPlan plan;
  plan.corrections_version = before;
  plan.changes.push_back({FaceIds(photo)[1], persons[0]});
  RestoreOptions replace;
  replace.replace = true;
  ASSERT_TRUE(RestoreCatalog(backup(), db_path(), replace).ok());
  EXPECT_EQ(*CorrectionsVersion(catalog()), before + 1);
  auto applied = ApplyAssignments(catalog(), plan);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_FALSE(*applied) << "a plan made from the catalog before the restore must be refused";
  EXPECT_EQ(catalog().GetPerson(persons[0])->name, "") << "the backup's state, from before the names";
}

TEST_F(BackupLibrary, ABackupFromANewerFacetagIsRefused) {
  AddPhoto("/p/a.jpg", "a", {1});
  ASSERT_TRUE(BackupCatalog(db_path(), backup()).ok());
  Sql(backup(), "INSERT INTO schema_version (version, applied_at) VALUES (99, 0)");
  auto restored_info = RestoreCatalog(backup(), restored());
  ASSERT_FALSE(restored_info.ok());
  EXPECT_EQ(restored_info.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(restored_info.status().message().find("newer facetag"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(restored())) << "nothing is created for a refused backup";
}

TEST_F(BackupLibrary, ABackupIsOneMomentWhileAnotherConnectionWrites) {
  AddPhoto("/p/a.jpg", "a", {1});
  // Another connection holds an open write transaction with a second photo in it.
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db_path().c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw,
                         "BEGIN IMMEDIATE; INSERT INTO photos (content_hash, path, size, mtime_ns, status, "
                         "indexed_at) VALUES ('ff', '/p/b.jpg', 1, 1, 'ok', 0);",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  auto info = BackupCatalog(db_path(), backup());
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->photos, 1) << "the backup holds only what was committed";
  sqlite3_exec(raw, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(raw);
  EXPECT_EQ(VerifyBackup(backup())->photos, 1);
}

}  // namespace
}  // namespace facetag::testing
