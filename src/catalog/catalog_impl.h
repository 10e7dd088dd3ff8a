// What the catalog's source files share: the connection, row readers and the few writes that
// several operations need (pinning, clean-up of empty persons, the corrections counter).
#pragma once

#include <string>
#include <vector>

#include "catalog/sqlite.h"
#include "facetag/catalog.h"

namespace facetag {

struct Catalog::Impl {
  sql::Connection db;
};

namespace catalog_internal {

// The connection behind a Catalog, for the catalog's free functions (grouping_io.cc).
struct ImplAccess {
  static Catalog::Impl& Of(Catalog& catalog) { return *catalog.impl_; }
};

// Column list and reader for photos, so every query returns the same PhotoRecord shape.
inline constexpr const char* kPhotoColumns =
    "photos.id, photos.content_hash, photos.path, photos.size, photos.mtime_ns, photos.width, "
    "photos.height, photos.status, photos.error, photos.indexed_at, photos.processed_by";
PhotoRecord ReadPhoto(const sql::Statement& s, int first_col);

inline constexpr const char* kPersonColumns = "persons.id, persons.name, persons.hidden, persons.pinned";
PersonRecord ReadPerson(const sql::Statement& s, int first_col);

PhotoStatus ParsePhotoStatus(const std::string& text);
const char* AssignmentName(Assignment a);
Assignment ParseAssignment(const std::string& text);

// Float vectors are stored as native (little-endian on every platform facetag runs on) float32.
std::vector<uint8_t> EncodeFloats(const float* data, size_t count);
std::vector<float> DecodeFloats(std::span<const uint8_t> blob);
std::vector<uint8_t> EncodeLandmarks(const Landmarks68& landmarks);
Landmarks68 DecodeLandmarks(std::span<const uint8_t> blob);

// First 64 bits of a hex content hash (0 when there is none).
uint64_t PhotoKey(const std::string& content_hash);

// Every correction bumps this, so that a grouping run that read the catalog before the
// correction cannot overwrite it (see AssignmentPlan).
Status BumpCorrectionsVersion(sql::Connection& db);
Result<int64_t> ReadCorrectionsVersion(sql::Connection& db);
Status PinPerson(sql::Connection& db, int64_t person_id);
Status RequirePerson(sql::Connection& db, int64_t person_id);
Status RequireFace(sql::Connection& db, int64_t face_id);
// A person left without faces is forgotten unless it has a name: a named person stays (with
// zero faces) so the name is there when its photos come back or the user moves faces to it.
Status DeleteEmptyUnnamedPersons(sql::Connection& db);

// Applies the schema migrations the file lacks; fails on a catalog from a newer facetag. A
// catalog already at the latest version is only read: opening it never waits for a writer.
Status Migrate(sql::Connection& db);
int LatestSchemaVersion();
// The version the file's schema_version table records (an error when it has none). Also the
// first read of a connection: it fails when SQLite cannot set up WAL reading (no -shm file and
// none can be created).
Result<int> ReadSchemaVersion(sql::Connection& db);

}  // namespace catalog_internal
}  // namespace facetag
