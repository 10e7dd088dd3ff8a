// The catalog's schema as a list of migrations. A catalog records the versions applied; Open
// applies the missing ones in order, each in the transaction that records it, so an upgrade
// interrupted half-way is simply redone. Never edit a released migration: append a new one.
#include <string>
#include <vector>

#include "catalog/catalog_impl.h"

namespace facetag::catalog_internal {
namespace {

struct Migration {
  int version;
  const char* sql;
};

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, R"sql(
-- Counters that must survive restarts. corrections_version: see AssignmentPlan.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('corrections_version', 0);

-- A photo is its content. Ids are AUTOINCREMENT everywhere so that an id a user saw (face 42,
-- person 7) never comes back meaning something else.
CREATE TABLE photos (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  content_hash TEXT UNIQUE,            -- sha256 hex; NULL when the file could not be read
  path         TEXT NOT NULL,          -- where it was last seen
  size         INTEGER NOT NULL,
  mtime_ns     INTEGER NOT NULL,
  width        INTEGER NOT NULL DEFAULT 0,
  height       INTEGER NOT NULL DEFAULT 0,
  status       TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'missing')),
  error        TEXT,                   -- non-NULL exactly when processing failed
  indexed_at   INTEGER NOT NULL        -- Unix seconds
);

-- Where each photo lives (copies: several paths). size + mtime let an unchanged file be
-- skipped without hashing it.
CREATE TABLE files (
  path     TEXT PRIMARY KEY,
  photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
  size     INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  missing  INTEGER NOT NULL DEFAULT 0  -- 1: the photo's last known path, gone since
);
CREATE INDEX files_photo ON files(photo_id);

CREATE TABLE persons (
  id     INTEGER PRIMARY KEY AUTOINCREMENT,
  name   TEXT,                          -- NULL: unnamed
  hidden INTEGER NOT NULL DEFAULT 0,
  pinned INTEGER NOT NULL DEFAULT 0     -- touched by the user: clustering keeps it whole
);

CREATE TABLE faces (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  photo_id   INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
  ordinal    INTEGER NOT NULL,          -- detection order within the photo: a stable key
  x REAL NOT NULL, y REAL NOT NULL, w REAL NOT NULL, h REAL NOT NULL,
  score      REAL NOT NULL,
  landmarks  BLOB,                      -- 68 x (x, y) float32
  embedding  BLOB NOT NULL,             -- float32, raw (not normalised)
  person_id  INTEGER REFERENCES persons(id) ON DELETE SET NULL,
  assignment TEXT NOT NULL DEFAULT 'auto' CHECK (assignment IN ('auto', 'user')),
  UNIQUE (photo_id, ordinal)
);
CREATE INDEX faces_person ON faces(person_id);

-- "This face is not that person": clustering never puts it back there.
CREATE TABLE face_rejections (
  face_id   INTEGER NOT NULL REFERENCES faces(id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  PRIMARY KEY (face_id, person_id)
) WITHOUT ROWID;
CREATE INDEX face_rejections_person ON face_rejections(person_id);
)sql"},
      {2, R"sql(
-- Cluster mode: which worker processed the photo (NULL: the indexing process itself).
ALTER TABLE photos ADD COLUMN processed_by TEXT;
)sql"},
      {3, R"sql(
-- facetag annotate: what a language model said about a photo. content_hash and context_hash
-- record what it was asked about (the bytes; the names, date and place the prompt carried), so
-- that a changed photo, or one whose people were named since, is annotated again.
CREATE TABLE photo_annotations (
  photo_id     INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
  content_hash TEXT NOT NULL,
  context_hash TEXT NOT NULL,
  caption      TEXT NOT NULL,
  tags         TEXT NOT NULL,        -- JSON array of strings
  model        TEXT NOT NULL,
  annotated_at INTEGER NOT NULL      -- Unix seconds
);

-- Full-text search over captions and tags (`photos --text`), kept in step by triggers.
CREATE VIRTUAL TABLE photo_annotations_fts USING fts5(
  caption, tags, content = 'photo_annotations', content_rowid = 'photo_id',
  tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER photo_annotations_ai AFTER INSERT ON photo_annotations BEGIN
  INSERT INTO photo_annotations_fts (rowid, caption, tags) VALUES (new.photo_id, new.caption, new.tags);
END;
CREATE TRIGGER photo_annotations_ad AFTER DELETE ON photo_annotations BEGIN
  INSERT INTO photo_annotations_fts (photo_annotations_fts, rowid, caption, tags)
    VALUES ('delete', old.photo_id, old.caption, old.tags);
END;
CREATE TRIGGER photo_annotations_au AFTER UPDATE ON photo_annotations BEGIN
  INSERT INTO photo_annotations_fts (photo_annotations_fts, rowid, caption, tags)
    VALUES ('delete', old.photo_id, old.caption, old.tags);
  INSERT INTO photo_annotations_fts (rowid, caption, tags) VALUES (new.photo_id, new.caption, new.tags);
END;

-- When and where a photo was taken, from its EXIF, for the content it had when read.
CREATE TABLE photo_exif (
  photo_id     INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
  content_hash TEXT NOT NULL,
  taken        TEXT,                 -- "YYYY-MM-DDTHH:MM:SS", the camera's local time
  latitude     REAL,                 -- degrees, north positive; NULL with longitude when unknown
  longitude    REAL                  -- degrees, east positive
);
)sql"},
      {4, R"sql(
-- Recognition events (serve/head --record-events; docs/EVENTS.md): one row per face the service
-- recognised. A person's events go with the person (CASCADE); MergePersons moves them.
CREATE TABLE recognition_events (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: page cursors stay valid
  at_ms     INTEGER NOT NULL,                   -- UTC, milliseconds since the Unix epoch
  person_id INTEGER REFERENCES persons(id) ON DELETE CASCADE,  -- NULL: nobody known
  distance  REAL,                               -- to the person's (unknown: the nearest) face
  source    TEXT NOT NULL DEFAULT '',           -- the request's camera/door; '' none
  served_by TEXT NOT NULL DEFAULT ''            -- the node that analysed the image
);
CREATE INDEX recognition_events_at ON recognition_events(at_ms);
CREATE INDEX recognition_events_person ON recognition_events(person_id);
CREATE INDEX recognition_events_source ON recognition_events(source);
)sql"},
      {5, R"sql(
-- Undo: one row per user correction (name, hide, merge, move, reject, unassign, different), with what the
-- rows it changed looked like before, as JSON: {"persons": [[id, name, hidden, pinned]...],
-- "faces": [[id, person_id, assignment]...], "rejections": [[face_id, person_id]...],
-- "dismissals": [[person_a, person_b]...], "created": [person ids it made], "deleted": [person
-- ids it removed], since version 8 "drawn": [face ids it added]}. Only the newest
-- kUndoDepth rows are kept; undoing one deletes it.
CREATE TABLE correction_log (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  kind     TEXT NOT NULL,     -- name, hide, merge, move, reject, unassign
  summary  TEXT NOT NULL,     -- what it did, for "Undid: ..." messages
  before   TEXT NOT NULL,     -- JSON, see above
  made_at  INTEGER NOT NULL   -- Unix seconds
);

-- "Is this the same person?" answered no: the pair is not suggested for merging again
-- (person_a < person_b). A correction like the others: logged, undoable.
CREATE TABLE merge_dismissals (
  person_a INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  person_b INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  PRIMARY KEY (person_a, person_b)
) WITHOUT ROWID;
CREATE INDEX merge_dismissals_b ON merge_dismissals(person_b);
)sql"},
      {6, R"sql(
-- Settings the catalog keeps as text. 'analysis': the detector and sizes its photos were
-- analysed with (DescribeAnalysis in facetag/engine.h), recorded by the first index that
-- analysed a photo; an index with other settings warns instead of silently mixing.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
)sql"},
      {7, R"sql(
-- The people list (ListPersons: counts per person and each one's best face) read from this index
-- alone, never from the face rows with their descriptors: 0.3 s instead of 3 s at 100k faces.
CREATE INDEX IF NOT EXISTS faces_person_sample ON faces(person_id, score DESC, id, photo_id);
)sql"},
      {8, R"sql(
-- Faces the user drew on a photo where the detector missed one (POST /photos/{id}/faces). They
-- have negative ordinals, so a re-analysis (ordinals 0..n-1) never collides with them, and a
-- re-analysis keeps them while their box lies inside the photo.
ALTER TABLE faces ADD COLUMN drawn INTEGER NOT NULL DEFAULT 0;

-- The timeline (GET /photos?sort=taken): when each photo was taken, EXIF date of its current
-- content, else the file's mtime (UTC), as "YYYY-MM-DDTHH:MM:SS". Kept in step by triggers so that
-- paging newest first is a walk down one index, whatever the library's size.
ALTER TABLE photos ADD COLUMN taken_key TEXT NOT NULL DEFAULT '';
UPDATE photos SET taken_key = COALESCE(
  (SELECT e.taken FROM photo_exif e WHERE e.photo_id = photos.id AND e.content_hash = photos.content_hash),
  strftime('%Y-%m-%dT%H:%M:%S', photos.mtime_ns / 1000000000, 'unixepoch'));
CREATE INDEX photos_taken ON photos(taken_key, id);
CREATE TRIGGER photos_taken_ai AFTER INSERT ON photos BEGIN
  UPDATE photos SET taken_key = COALESCE(
    (SELECT e.taken FROM photo_exif e WHERE e.photo_id = photos.id AND e.content_hash = photos.content_hash),
    strftime('%Y-%m-%dT%H:%M:%S', photos.mtime_ns / 1000000000, 'unixepoch')) WHERE id = new.id;
END;
CREATE TRIGGER photos_taken_au AFTER UPDATE OF mtime_ns, content_hash ON photos BEGIN
  UPDATE photos SET taken_key = COALESCE(
    (SELECT e.taken FROM photo_exif e WHERE e.photo_id = photos.id AND e.content_hash = photos.content_hash),
    strftime('%Y-%m-%dT%H:%M:%S', photos.mtime_ns / 1000000000, 'unixepoch')) WHERE id = new.id;
END;
CREATE TRIGGER photo_exif_taken_ai AFTER INSERT ON photo_exif BEGIN
  UPDATE photos SET taken_key = COALESCE(
    (SELECT e.taken FROM photo_exif e WHERE e.photo_id = photos.id AND e.content_hash = photos.content_hash),
    strftime('%Y-%m-%dT%H:%M:%S', photos.mtime_ns / 1000000000, 'unixepoch')) WHERE id = new.photo_id;
END;
CREATE TRIGGER photo_exif_taken_au AFTER UPDATE ON photo_exif BEGIN
  UPDATE photos SET taken_key = COALESCE(
    (SELECT e.taken FROM photo_exif e WHERE e.photo_id = photos.id AND e.content_hash = photos.content_hash),
    strftime('%Y-%m-%dT%H:%M:%S', photos.mtime_ns / 1000000000, 'unixepoch')) WHERE id = new.photo_id;
END;
)sql"},
  };
  return kMigrations;
}

}  // namespace

int LatestSchemaVersion() { return Migrations().back().version; }

Result<int> ReadSchemaVersion(sql::Connection& db) {
  auto q = sql::Statement::Prepare(db, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
  FACETAG_RETURN_IF_ERROR(q.status());
  auto row = q->Step();
  FACETAG_RETURN_IF_ERROR(row.status());
  return static_cast<int>(q->Int(0));
}

Status Migrate(sql::Connection& db) {
  // Read first: the write lock below would make every command that opens the catalog (facetag
  // people) wait for a running index's transaction, and fail after the busy timeout when that
  // transaction is long. Any error here (a new file has no schema_version) goes the long way.
  if (auto version = ReadSchemaVersion(db); version.ok() && *version == LatestSchemaVersion()) {
    return Status::Ok();
  }
  FACETAG_RETURN_IF_ERROR(
      db.Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER "
              "NOT NULL)"));
  // IMMEDIATE: two processes opening a new catalog at once must not both migrate it.
  auto tx = sql::Transaction::Begin(db);
  FACETAG_RETURN_IF_ERROR(tx.status());
  auto version = ReadSchemaVersion(db);
  FACETAG_RETURN_IF_ERROR(version.status());
  const int current = *version;
  if (current > LatestSchemaVersion()) {
    return Unsupported("catalog schema version " + std::to_string(current) + " is newer than this facetag (" +
                       std::to_string(LatestSchemaVersion()) + "): upgrade facetag");
  }
  for (const auto& m : Migrations()) {
    if (m.version <= current) continue;
    Status s = db.Exec(m.sql);
    if (!s.ok()) return {s.code(), "migration " + std::to_string(m.version) + ": " + s.message()};
    auto record = sql::Statement::Prepare(db,
                                          "INSERT INTO schema_version (version, applied_at) VALUES (?, "
                                          "CAST(strftime('%s', 'now') AS INTEGER))");
    FACETAG_RETURN_IF_ERROR(record.status());
    FACETAG_RETURN_IF_ERROR(record->Bind(1, m.version).Run());
  }
  return tx->Commit();
}

}  // namespace facetag::catalog_internal
