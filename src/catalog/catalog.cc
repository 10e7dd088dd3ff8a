// Opening a catalog (file, pragmas, schema) and the helpers every catalog file shares.
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <system_error>

#include "catalog/catalog_impl.h"
#include "common/private_files.h"

namespace facetag {

std::filesystem::path DefaultCatalogPath() {
  if (const char* db = std::getenv("FACETAG_DB"); db && *db) return db;
  std::filesystem::path data;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
    data = xdg;
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    data = std::filesystem::path(home) / ".local" / "share";
  } else {
    data = ".";  // no home at all (a bare container): the working directory
  }
  return data / "facetag" / "catalog.db";
}

const char* PhotoStatusName(PhotoStatus status) {
  switch (status) {
    case PhotoStatus::kOk:
      return "ok";
    case PhotoStatus::kFailed:
      return "failed";
    case PhotoStatus::kMissing:
      return "missing";
  }
  return "ok";
}

Catalog::Catalog(std::unique_ptr<Impl> impl, std::filesystem::path path)
    : impl_(std::move(impl)), path_(std::move(path)) {}
Catalog::~Catalog() = default;

int Catalog::LatestSchemaVersion() { return catalog_internal::LatestSchemaVersion(); }

namespace {

// Why this process cannot write the existing catalog at `path`, or empty when it can. SQLite in
// WAL mode writes beside the file too (the -wal and -shm files), so the folder counts. access()
// also answers EROFS for a read-only mount, for root as well.
std::string ReadOnlyReason(const std::filesystem::path& path) {
  if (::access(path.c_str(), W_OK) != 0) return "the file is not writable";
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  if (::access(dir.c_str(), W_OK) != 0) return "its folder " + dir.string() + " is not writable";
  return {};
}

// A catalog this process may only read. First as SQLite's read-only mode, which still shares
// the -shm file with writers (so a running indexer's commits are seen). When the -shm file does
// not exist and cannot be created, as immutable: SQLite then reads the main file alone, with no
// locks, so it must not be used while another process writes it, and commits still in a -wal
// file would be missed: a non-empty -wal refuses instead.
Result<sql::Connection> OpenReadOnlyConnection(const std::filesystem::path& path, int busy_timeout_ms) {
  auto db = sql::Connection::OpenUri(path.string(), "mode=ro", busy_timeout_ms);
  if (db.ok() && catalog_internal::ReadSchemaVersion(*db).ok()) return db;
  std::error_code ec;
  const auto wal = std::filesystem::path(path.string() + "-wal");
  if (std::filesystem::exists(wal, ec) && std::filesystem::file_size(wal, ec) > 0 && !ec) {
    return IoError("its last changes are still in " + wal.string() +
                   ", which can only be read where the folder is writable (open it once there)");
  }
  return sql::Connection::OpenUri(path.string(), "immutable=1", busy_timeout_ms);
}

}  // namespace

Result<std::unique_ptr<Catalog>> Catalog::Open(const std::filesystem::path& path,
                                               const CatalogOptions& options) {
  if (path.empty()) return InvalidArgument("empty catalog path");
  {
    std::error_code ec;
    std::string reason = std::filesystem::exists(path, ec) ? ReadOnlyReason(path) : std::string();
    if (!reason.empty()) {
      auto db = OpenReadOnlyConnection(path, options.busy_timeout_ms);
      FACETAG_RETURN_IF_ERROR(db.status());
      auto version = catalog_internal::ReadSchemaVersion(*db);
      FACETAG_RETURN_IF_ERROR(version.status());
      // No migration can run: an older catalog would be read with the wrong schema.
      if (*version != catalog_internal::LatestSchemaVersion()) {
        return Unsupported("the catalog is read-only (" + reason + ") and has schema version " +
                           std::to_string(*version) + ", this facetag needs " +
                           std::to_string(catalog_internal::LatestSchemaVersion()) +
                           ": open it once where it is writable");
      }
      FACETAG_RETURN_IF_ERROR(db->Exec("PRAGMA query_only = 1"));
      FACETAG_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys = ON"));
      auto impl = std::make_unique<Impl>();
      impl->db = std::move(*db);
      std::unique_ptr<Catalog> catalog(new Catalog(std::move(impl), path));
      catalog->read_only_ = std::move(reason);
      return catalog;
    }
  }
  if (path.has_parent_path()) FACETAG_RETURN_IF_ERROR(CreatePrivateDirectories(path.parent_path()));
  // A new catalog is created 0600 before SQLite opens it: SQLite gives its -wal and -shm files
  // the database file's mode, so they are private too. A read-only open of an existing catalog
  // is not affected (the file exists, nothing is created).
  if (!std::filesystem::exists(path)) FACETAG_RETURN_IF_ERROR(CreatePrivateFile(path));
  auto db = sql::Connection::Open(path.string(), options.busy_timeout_ms);
  FACETAG_RETURN_IF_ERROR(db.status());
  // WAL: readers (facetag people) keep working while the indexer writes, and a kill -9 at any
  // moment leaves the last committed state. synchronous=NORMAL is still crash-safe in WAL mode
  // (only a power cut can lose the newest commits, never corrupt the file).
  FACETAG_RETURN_IF_ERROR(db->Exec("PRAGMA journal_mode = WAL"));
  FACETAG_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous = NORMAL"));
  FACETAG_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys = ON"));
  FACETAG_RETURN_IF_ERROR(catalog_internal::Migrate(*db));
  auto impl = std::make_unique<Impl>();
  impl->db = std::move(*db);
  return std::unique_ptr<Catalog>(new Catalog(std::move(impl), path));
}

Result<int> Catalog::SchemaVersion() { return catalog_internal::ReadSchemaVersion(impl_->db); }

namespace catalog_internal {

PhotoStatus ParsePhotoStatus(const std::string& text) {
  if (text == "failed") return PhotoStatus::kFailed;
  if (text == "missing") return PhotoStatus::kMissing;
  return PhotoStatus::kOk;
}

const char* AssignmentName(Assignment a) { return a == Assignment::kUser ? "user" : "auto"; }
Assignment ParseAssignment(const std::string& text) {
  return text == "user" ? Assignment::kUser : Assignment::kAuto;
}

PhotoRecord ReadPhoto(const sql::Statement& s, int c) {
  PhotoRecord p;
  p.id = s.Int(c);
  p.content_hash = s.Text(c + 1);
  p.path = s.Text(c + 2);
  p.size = s.Int(c + 3);
  p.mtime_ns = s.Int(c + 4);
  p.width = static_cast<int>(s.Int(c + 5));
  p.height = static_cast<int>(s.Int(c + 6));
  p.status = ParsePhotoStatus(s.Text(c + 7));
  p.error = s.Text(c + 8);
  p.indexed_at = s.Int(c + 9);
  p.processed_by = s.Text(c + 10);
  return p;
}

PersonRecord ReadPerson(const sql::Statement& s, int c) {
  PersonRecord p;
  p.id = s.Int(c);
  p.name = s.Text(c + 1);
  p.hidden = s.Int(c + 2) != 0;
  p.pinned = s.Int(c + 3) != 0;
  return p;
}

std::vector<uint8_t> EncodeFloats(const float* data, size_t count) {
  std::vector<uint8_t> out(count * sizeof(float));
  if (count) std::memcpy(out.data(), data, out.size());
  return out;
}

std::vector<float> DecodeFloats(std::span<const uint8_t> blob) {
  std::vector<float> out(blob.size() / sizeof(float));
  if (!out.empty()) std::memcpy(out.data(), blob.data(), out.size() * sizeof(float));
  return out;
}

std::vector<uint8_t> EncodeLandmarks(const Landmarks68& landmarks) {
  static_assert(sizeof(Point) == 2 * sizeof(float));
  return EncodeFloats(&landmarks[0].x, landmarks.size() * 2);
}

Landmarks68 DecodeLandmarks(std::span<const uint8_t> blob) {
  Landmarks68 out{};
  if (blob.size() == sizeof(out)) std::memcpy(out.data(), blob.data(), sizeof(out));
  return out;
}

uint64_t PhotoKey(const std::string& content_hash) {
  uint64_t key = 0;
  for (size_t i = 0; i < 16 && i < content_hash.size(); ++i) {
    const char c = content_hash[i];
    const uint64_t digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : 0;
    key = key << 4 | digit;
  }
  return key;
}

Status BumpCorrectionsVersion(sql::Connection& db) {
  return db.Exec("UPDATE meta SET value = value + 1 WHERE key = 'corrections_version'");
}

Result<int64_t> ReadCorrectionsVersion(sql::Connection& db) {
  auto q = sql::Statement::Prepare(db, "SELECT value FROM meta WHERE key = 'corrections_version'");
  FACETAG_RETURN_IF_ERROR(q.status());
  auto row = q->Step();
  FACETAG_RETURN_IF_ERROR(row.status());
  if (!*row) return Corrupt("catalog meta table lacks corrections_version");
  return q->Int(0);
}

Status PinPerson(sql::Connection& db, int64_t person_id) {
  auto s = sql::Statement::Prepare(db, "UPDATE persons SET pinned = 1 WHERE id = ?");
  FACETAG_RETURN_IF_ERROR(s.status());
  return s->Bind(1, person_id).Run();
}

Status RequirePerson(sql::Connection& db, int64_t person_id) {
  auto q = sql::Statement::Prepare(db, "SELECT 1 FROM persons WHERE id = ?");
  FACETAG_RETURN_IF_ERROR(q.status());
  auto row = q->Bind(1, person_id).Step();
  FACETAG_RETURN_IF_ERROR(row.status());
  if (!*row) return NotFound("no person " + std::to_string(person_id));
  return Status::Ok();
}

Status RequireFace(sql::Connection& db, int64_t face_id) {
  auto q = sql::Statement::Prepare(db, "SELECT 1 FROM faces WHERE id = ?");
  FACETAG_RETURN_IF_ERROR(q.status());
  auto row = q->Bind(1, face_id).Step();
  FACETAG_RETURN_IF_ERROR(row.status());
  if (!*row) return NotFound("no face " + std::to_string(face_id));
  return Status::Ok();
}

Status DeleteEmptyUnnamedPersons(sql::Connection& db) {
  return db.Exec(
      "DELETE FROM persons WHERE name IS NULL AND NOT EXISTS (SELECT 1 FROM faces WHERE faces.person_id = "
      "persons.id)");
}

}  // namespace catalog_internal
}  // namespace facetag
