// Opening a catalog: file, schema and its version, connection settings, default location,
// content hashing.
#include <sqlite3.h>

#include <cstdlib>
#include <fstream>

#include "catalog/catalog_fixture.h"
#include "facetag/grouping_io.h"

namespace facetag::testing {
namespace {

std::string PragmaText(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* raw = nullptr;
  sqlite3_open(db.c_str(), &raw);
  sqlite3_stmt* stmt = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(raw, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(raw);
  return out;
}

// SQLite's plan for `sql`: every step's detail, one per line.
std::string QueryPlan(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* raw = nullptr;
  sqlite3_open(db.c_str(), &raw);
  sqlite3_stmt* stmt = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(raw, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      out += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
      out += '\n';
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(raw);
  return out;
}

void ExecSql(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* raw = nullptr;
  sqlite3_open(db.c_str(), &raw);
  ASSERT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(raw);
  sqlite3_close(raw);
}

// What schema version 8 added (drawn faces, the timeline's key), taken away again.
const char* kUndoVersion8 =
    "DROP TRIGGER photos_taken_ai; DROP TRIGGER photos_taken_au; DROP TRIGGER photo_exif_taken_ai; "
    "DROP TRIGGER photo_exif_taken_au; DROP INDEX photos_taken; ALTER TABLE photos DROP COLUMN taken_key; "
    "ALTER TABLE faces DROP COLUMN drawn; DELETE FROM schema_version WHERE version >= 8; ";

// What versions 6 to 8 added (analysis settings, the people list's index, version 8's), taken
// away again: tests that roll a catalog back further do this first.
const std::string kUndoVersions6To8 = std::string(kUndoVersion8) +
                                      "DROP INDEX faces_person_sample; DROP TABLE settings; "
                                      "DELETE FROM schema_version WHERE version >= 6; ";

TEST(CatalogOpen, CreatesFolderFileAndSchemaAtTheLatestVersion) {
  TempDir dir;
  const auto path = dir.path() / "deep" / "er" / "catalog.db";
  auto catalog = Catalog::Open(path);
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  EXPECT_TRUE(std::filesystem::exists(path));
  auto version = (*catalog)->SchemaVersion();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, Catalog::LatestSchemaVersion());
  EXPECT_GE(Catalog::LatestSchemaVersion(), 1);
}

TEST(CatalogOpen, UsesWriteAheadLoggingSoReadersWorkDuringWrites) {
  TempDir dir;
  ASSERT_TRUE(Catalog::Open(dir.path() / "c.db").ok());
  EXPECT_EQ(PragmaText(dir.path() / "c.db", "PRAGMA journal_mode"), "wal");
}

TEST(CatalogOpen, ReopeningKeepsDataAndDoesNotMigrateTwice) {
  TempDir dir;
  const auto path = dir.path() / "c.db";
  {
    auto c = Catalog::Open(path);
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE((*c)->AddPhotoResult(MakePhoto("/p/a.jpg", "a"), {MakeFace(MakeEmbedding(1))}).ok());
  }
  auto c = Catalog::Open(path);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  auto counts = (*c)->GetCounts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->photos, 1);
  EXPECT_EQ(counts->faces, 1);
  EXPECT_EQ(PragmaText(path, "SELECT COUNT(*) FROM schema_version"),
            std::to_string(Catalog::LatestSchemaVersion()));
}

TEST(CatalogOpen, RefusesACatalogFromANewerFacetag) {
  TempDir dir;
  const auto path = dir.path() / "c.db";
  ASSERT_TRUE(Catalog::Open(path).ok());
  ExecSql(path, "INSERT INTO schema_version (version, applied_at) VALUES (999, 0)");
  auto c = Catalog::Open(path);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), ErrorCode::kUnsupported);
}

TEST(CatalogOpen, ForeignKeysAreEnforced) {
  TempDir dir;
  auto c = Catalog::Open(dir.path() / "c.db");
  ASSERT_TRUE(c.ok());
  // Moving a face to a person that does not exist is refused, not stored dangling.
  auto photo = (*c)->AddPhotoResult(MakePhoto("/p/a.jpg", "a"), {MakeFace(MakeEmbedding(1))});
  ASSERT_TRUE(photo.ok());
  auto faces = (*c)->FacesOfPhoto(photo->photo_id);
  ASSERT_TRUE(faces.ok());
  EXPECT_EQ((*c)->MoveFace((*faces)[0].id, 12345).code(), ErrorCode::kNotFound);
  AssignmentPlan plan;
  ASSERT_TRUE(CorrectionsVersion(**c).ok());
  plan.corrections_version = *CorrectionsVersion(**c);
  plan.changes.push_back({(*faces)[0].id, 777});
  auto applied = ApplyAssignments(**c, plan);
  ASSERT_TRUE(applied.ok());
  EXPECT_FALSE(*applied) << "a plan naming a person that does not exist is stale";
}

TEST(DefaultCatalogPath, FollowsFacetagDbThenXdgDataHomeThenHome) {
  const char* saved_db = std::getenv("FACETAG_DB");
  const char* saved_xdg = std::getenv("XDG_DATA_HOME");
  const std::string db = saved_db ? saved_db : "", xdg = saved_xdg ? saved_xdg : "";

  setenv("FACETAG_DB", "/tmp/x/my.db", 1);
  EXPECT_EQ(DefaultCatalogPath(), "/tmp/x/my.db");
  unsetenv("FACETAG_DB");
  setenv("XDG_DATA_HOME", "/data/xdg", 1);
  EXPECT_EQ(DefaultCatalogPath(), "/data/xdg/facetag/catalog.db");
  unsetenv("XDG_DATA_HOME");
  const std::string home = std::getenv("HOME") ? std::getenv("HOME") : "";
  if (!home.empty()) {
    EXPECT_EQ(DefaultCatalogPath(), std::filesystem::path(home) / ".local/share/facetag/catalog.db");
  }

  if (saved_db) setenv("FACETAG_DB", db.c_str(), 1);
  if (saved_xdg) setenv("XDG_DATA_HOME", xdg.c_str(), 1);
}

// Schema 2 (cluster mode): a catalog made before it gains photos.processed_by, keeps its photos,
// and records which worker processed each new one (NULL, read as empty, for a local index).
TEST(CatalogOpen, UpgradesAVersion1CatalogWithTheProcessedByColumn) {
  TempDir dir;
  const auto path = dir.path() / "c.db";
  {
    auto c = Catalog::Open(path);
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE((*c)->AddPhotoResult(MakePhoto("/p/old.jpg", "old"), {}).ok());
  }
  // Back to what version 1 made.
  ExecSql(
      path,
      kUndoVersions6To8 +
          "DROP TABLE recognition_events; DROP TABLE photo_annotations; DROP TABLE photo_annotations_fts; "
          "DROP TABLE photo_exif; DROP TABLE correction_log; DROP TABLE merge_dismissals; "
          "ALTER TABLE photos DROP COLUMN processed_by; DELETE FROM schema_version WHERE version >= 2");
  EXPECT_EQ(PragmaText(path, "SELECT COUNT(*) FROM pragma_table_info('photos') WHERE name = 'processed_by'"),
            "0");

  auto c = Catalog::Open(path);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(*(*c)->SchemaVersion(), Catalog::LatestSchemaVersion());
  EXPECT_EQ(PragmaText(path, "SELECT COUNT(*) FROM pragma_table_info('photos') WHERE name = 'processed_by'"),
            "1");
  PhotoInput remote = MakePhoto("/p/new.jpg", "new");
  remote.processed_by = "worker-7";
  auto added = (*c)->AddPhotoResult(remote, {});
  ASSERT_TRUE(added.ok());
  EXPECT_EQ((*c)->GetPhoto(added->photo_id)->processed_by, "worker-7");
  auto old = (*c)->FindByHash(MakePhoto("/p/old.jpg", "old").content_hash);
  ASSERT_TRUE(old.ok() && old->has_value());
  EXPECT_EQ((*old)->processed_by, "");
}

TEST(CatalogOpen, UpgradesAVersion3CatalogWithRecognitionEvents) {
  TempDir dir;
  const auto path = dir.path() / "c.db";
  ASSERT_TRUE(Catalog::Open(path).ok());
  ExecSql(path, kUndoVersions6To8 +
                    "DROP TABLE recognition_events; DROP TABLE correction_log; DROP TABLE merge_dismissals; "
                    "DELETE FROM schema_version WHERE version >= 4");
  auto c = Catalog::Open(path);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(*(*c)->SchemaVersion(), Catalog::LatestSchemaVersion());
  RecognitionEvent e;
  e.at_ms = 1;
  EXPECT_EQ(*(*c)->RecordEvents({e}), 1);
}

TEST(ContentHash, IsSha256HexOfTheBytesForBuffersAndFiles) {
  const std::string abc = "abc";
  const std::string expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  EXPECT_EQ(HashBytes({reinterpret_cast<const uint8_t*>(abc.data()), abc.size()}), expected);
  TempDir dir;
  const auto file = dir.path() / "abc.bin";
  std::ofstream(file, std::ios::binary) << abc;
  auto hashed = HashFile(file);
  ASSERT_TRUE(hashed.ok());
  EXPECT_EQ(*hashed, expected);
  EXPECT_EQ(HashFile(dir.path() / "absent").status().code(), ErrorCode::kIoError);
}

// The correction log (undo): a catalog made before it (version 4) gains the table and logs
// corrections. Its migration is version 5.
TEST(CatalogOpen, UpgradesACatalogWithoutTheCorrectionLog) {
  TempDir dir;
  const auto path = dir.path() / "c.db";
  { ASSERT_TRUE(Catalog::Open(path).ok()); }
  ExecSql(path,
          kUndoVersions6To8 +
              "DROP TABLE correction_log; DROP TABLE merge_dismissals; DELETE FROM schema_version WHERE "
              "version = 5");
  auto c = Catalog::Open(path);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(*(*c)->SchemaVersion(), Catalog::LatestSchemaVersion());
  auto id = (*c)->CreatePerson("");
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE((*c)->NamePerson(*id, "Amy").ok());
  EXPECT_EQ((*c)->RecentCorrections()->size(), 1u);
}

// The analysis settings (migration 6): a catalog made before them has none recorded, takes them,
// and keeps them across opens.
TEST(CatalogOpen, UpgradesACatalogWithoutAnalysisSettings) {
  TempDir dir;
  const auto path = dir.path() / "c.db";
  { ASSERT_TRUE(Catalog::Open(path).ok()); }
  ExecSql(path, kUndoVersions6To8);
  {
    auto c = Catalog::Open(path);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_EQ(*(*c)->SchemaVersion(), Catalog::LatestSchemaVersion());
    EXPECT_EQ(*(*c)->AnalysisSettings(), "");
    ASSERT_TRUE((*c)->RecordAnalysisSettings("ssd detector (512x512, min score 0.5)").ok());
  }
  auto c = Catalog::Open(path);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*(*c)->AnalysisSettings(), "ssd detector (512x512, min score 0.5)");
}

// The people list's index (version 7): an older catalog gains it, and the person counts and
// best faces are read from it alone (a covering index: no face row with its descriptor is read).
TEST(CatalogOpen, UpgradesAVersion6CatalogWithThePeopleListIndex) {
  TempDir dir;
  const auto path = dir.path() / "c.db";
  { ASSERT_TRUE(Catalog::Open(path).ok()); }
  ExecSql(path, std::string(kUndoVersion8) +
                    "DROP INDEX faces_person_sample; DELETE FROM schema_version WHERE version >= 7");
  ASSERT_EQ(PragmaText(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'faces_person_sample'"), "0");
  auto c = Catalog::Open(path);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(*(*c)->SchemaVersion(), Catalog::LatestSchemaVersion());
  c->reset();
  EXPECT_EQ(PragmaText(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'faces_person_sample'"), "1");
  for (const char* query : {"SELECT person_id, COUNT(*), COUNT(DISTINCT photo_id), MAX(id) FROM faces WHERE "
                            "person_id IS NOT NULL "
                            "GROUP BY person_id",
                            "SELECT id FROM faces WHERE person_id = 1 ORDER BY score DESC, id LIMIT 1"}) {
    EXPECT_NE(QueryPlan(path, query).find("COVERING INDEX faces_person_sample"), std::string::npos)
        << query << "\n"
        << QueryPlan(path, query);
  }
}

// Version 8: a catalog made before it gains drawn faces and the timeline's key, filled in for the
// photos it has (their files' dates, or EXIF dates read before the upgrade).
TEST(CatalogOpen, UpgradesACatalogWithoutDrawnFacesOrTheTimelineKey) {
  TempDir dir;
  const auto path = dir.path() / "c.db";
  int64_t plain = 0, with_exif = 0;
  {
    auto c = Catalog::Open(path);
    ASSERT_TRUE(c.ok());
    plain = (*c)->AddPhotoResult(MakePhoto("/p/plain.jpg", "plain", int64_t{1600000000} * 1000000000), {})
                ->photo_id;
    PhotoInput exif_photo = MakePhoto("/p/exif.jpg", "exif");
    with_exif = (*c)->AddPhotoResult(exif_photo, {MakeFace(MakeEmbedding(1))})->photo_id;
    PhotoExif exif;
    exif.taken = "2010-05-06T07:08:09";
    ASSERT_TRUE((*c)->SetPhotoExif(with_exif, exif_photo.content_hash, exif).ok());
  }
  ExecSql(path, kUndoVersion8);
  EXPECT_EQ(PragmaText(path, "SELECT COUNT(*) FROM pragma_table_info('faces') WHERE name = 'drawn'"), "0");

  auto c = Catalog::Open(path);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(*(*c)->SchemaVersion(), Catalog::LatestSchemaVersion());
  EXPECT_EQ((*c)->TimelineEntry(plain)->key.taken, "2020-09-13T12:26:40");
  EXPECT_EQ((*c)->TimelineEntry(with_exif)->key.taken, "2010-05-06T07:08:09");
  EXPECT_FALSE((*c)->FacesOfPhoto(with_exif)->front().drawn);
  Face drawn = MakeFace(MakeEmbedding(2));
  drawn.box = {300, 100, 50, 50};
  auto id = (*c)->AddDrawnFace(with_exif, drawn);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_TRUE((*c)->GetFace(*id)->drawn);
}

}  // namespace
}  // namespace facetag::testing
