// facetag backup / restore: SQLite snapshots of the catalog (see facetag/backup.h for why).
#include "facetag/backup.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <system_error>

#include "catalog/catalog_impl.h"
#include "common/private_files.h"
#include "common/random_hex.h"

namespace facetag {
namespace {

namespace fs = std::filesystem;
constexpr int kBusyTimeoutMs = 10000;

// The tables every facetag catalog has had since schema version 1.
constexpr std::array<const char*, 7> kRequiredTables = {"schema_version", "meta",  "photos",         "files",
                                                        "persons",        "faces", "face_rejections"};

uint32_t BigEndian(const unsigned char* p, int bytes) {
  uint32_t v = 0;
  for (int i = 0; i < bytes; ++i) v = v << 8 | p[i];
  return v;
}

// The file header's own account of the file's length: a backup cut short by a full disk or an
// interrupted copy is named as such, before SQLite sees it (it would read the missing pages as
// "malformed", or, when the cut falls on a page boundary, not notice at all).
Status CheckHeader(const fs::path& file, int64_t size) {
  std::ifstream in(file, std::ios::binary);
  std::array<unsigned char, 100> h{};
  if (!in.read(reinterpret_cast<char*>(h.data()), h.size())) {
    return Corrupt(file.string() + " is not a facetag backup (" + std::to_string(size) +
                   " bytes: too short for a SQLite file)");
  }
  static constexpr char kMagic[] = "SQLite format 3";  // and its terminating NUL
  if (std::memcmp(h.data(), kMagic, sizeof kMagic) != 0)
    return Corrupt(file.string() + " is not a facetag backup (not a SQLite file)");
  uint32_t page_size = BigEndian(&h[16], 2);
  if (page_size == 1) page_size = 65536;
  if (page_size < 512 || (page_size & (page_size - 1)) != 0)
    return Corrupt(file.string() + " is damaged (invalid page size in its header)");
  const uint32_t change_counter = BigEndian(&h[24], 4), pages = BigEndian(&h[28], 4);
  const uint32_t valid_for = BigEndian(&h[92], 4);
  // The page count is only meaningful when written by a SQLite that keeps it (3.7.0 and later).
  if (pages != 0 && change_counter == valid_for) {
    const int64_t expected = static_cast<int64_t>(pages) * page_size;
    if (size < expected) {
      return Corrupt(file.string() + " is truncated (" + std::to_string(size) + " of " +
                     std::to_string(expected) + " bytes)");
    }
  }
  if (size % page_size != 0) return Corrupt(file.string() + " is truncated (not a whole number of pages)");
  return Status::Ok();
}

Result<int64_t> CountRows(sql::Connection& db, const std::string& sql) {
  auto q = sql::Statement::Prepare(db, sql);
  FACETAG_RETURN_IF_ERROR(q.status());
  auto row = q->Step();
  FACETAG_RETURN_IF_ERROR(row.status());
  return *row ? q->Int(0) : 0;
}

Result<bool> HasTable(sql::Connection& db, const std::string& table) {
  auto q = sql::Statement::Prepare(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  FACETAG_RETURN_IF_ERROR(q.status());
  return q->Bind(1, table).Step();
}

Result<BackupInfo> Inspect(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return NotFound("no backup file " + file.string());
  BackupInfo info;
  info.bytes = static_cast<int64_t>(fs::file_size(file, ec));
  if (ec) return IoError("cannot read " + file.string() + ": " + ec.message());
  FACETAG_RETURN_IF_ERROR(CheckHeader(file, info.bytes));

  auto db = sql::Connection::OpenReadOnly(file.string(), kBusyTimeoutMs);
  FACETAG_RETURN_IF_ERROR(db.status());
  const auto damaged = [&](const std::string& why) { return Corrupt(file.string() + " is damaged: " + why); };
  {
    auto check = sql::Statement::Prepare(*db, "PRAGMA integrity_check(5)");
    if (!check.ok()) return damaged(check.status().message());
    std::string problems;
    while (true) {
      auto row = check->Step();
      if (!row.ok()) return damaged(row.status().message());
      if (!*row) break;
      if (check->Text(0) != "ok") problems += (problems.empty() ? "" : "; ") + check->Text(0);
    }
    if (!problems.empty()) return damaged(problems);
  }
  for (const char* table : kRequiredTables) {
    auto has = HasTable(*db, table);
    FACETAG_RETURN_IF_ERROR(has.status());
    if (!*has)
      return Corrupt(file.string() + " is not a facetag backup (it has no " + std::string(table) + " table)");
  }
  auto version = CountRows(*db, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
  FACETAG_RETURN_IF_ERROR(version.status());
  info.schema_version = static_cast<int>(*version);
  if (info.schema_version > catalog_internal::LatestSchemaVersion()) {
    return Unsupported(file.string() + " is from a newer facetag (catalog schema " +
                       std::to_string(info.schema_version) + ", this one knows up to " +
                       std::to_string(catalog_internal::LatestSchemaVersion()) + "): upgrade facetag");
  }
  struct Count {
    int64_t* into;
    const char* sql;
  };
  for (const Count& c :
       {Count{&info.photos, "SELECT COUNT(*) FROM photos"}, Count{&info.faces, "SELECT COUNT(*) FROM faces"},
        Count{&info.people, "SELECT COUNT(*) FROM persons"},
        Count{&info.corrections, "SELECT COUNT(*) FROM faces WHERE assignment = 'user'"},
        Count{&info.rejections, "SELECT COUNT(*) FROM face_rejections"}}) {
    auto n = CountRows(*db, c.sql);
    FACETAG_RETURN_IF_ERROR(n.status());
    *c.into = *n;
  }
  auto has_annotations = HasTable(*db, "photo_annotations");  // schema 3 and later
  FACETAG_RETURN_IF_ERROR(has_annotations.status());
  if (*has_annotations) {
    auto n = CountRows(*db, "SELECT COUNT(*) FROM photo_annotations");
    FACETAG_RETURN_IF_ERROR(n.status());
    info.annotations = *n;
  }
  return info;
}

Status SyncFile(const fs::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError("cannot open " + file.string() + ": " + std::strerror(errno));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return IoError("cannot flush " + file.string() + ": " + std::strerror(errno));
  return Status::Ok();
}

// Removes the temporary file unless released: every early return cleans up after itself.
class TempFile {
 public:
  explicit TempFile(fs::path path) : path_(std::move(path)) {}
  ~TempFile() {
    if (path_.empty()) return;
    std::error_code ec;
    fs::remove(path_, ec);
    fs::remove(path_.string() + "-journal", ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const fs::path& path() const { return path_; }
  void Release() { path_.clear(); }

 private:
  fs::path path_;
};

Status IsEmptyCatalog(sql::Connection& db, const fs::path& catalog) {
  auto n = CountRows(db, "SELECT (SELECT COUNT(*) FROM photos) + (SELECT COUNT(*) FROM persons)");
  FACETAG_RETURN_IF_ERROR(n.status());
  if (*n != 0) {
    return InvalidArgument("the catalog " + catalog.string() +
                           " is not empty: restore into a new catalog (--db), or pass --replace to "
                           "overwrite it");
  }
  return Status::Ok();
}

}  // namespace

Result<BackupInfo> VerifyBackup(const fs::path& backup_file) { return Inspect(backup_file); }

Result<BackupInfo> BackupCatalog(const fs::path& catalog, const fs::path& backup_file) {
  std::error_code ec;
  if (!fs::is_regular_file(catalog, ec)) return NotFound("no catalog at " + catalog.string());
  if (fs::is_directory(backup_file, ec))
    return InvalidArgument(backup_file.string() + " is a folder: give the backup file's name");
  if (fs::equivalent(catalog, backup_file, ec))
    return InvalidArgument(backup_file.string() + " is the catalog itself: give the backup another name");
  const fs::path folder = backup_file.has_parent_path() ? backup_file.parent_path() : fs::path(".");
  if (!fs::is_directory(folder, ec)) return NotFound("no folder " + folder.string() + " for the backup");

  // Beside the destination, so the rename is atomic (same file system); private from the start,
  // since it holds names and face descriptors.
  std::string temp_name = ".";  // hidden: the indexer and file managers pass it by
  temp_name += backup_file.filename().string();
  temp_name += ".tmp-";
  temp_name += RandomHex(6);
  TempFile temp(folder / temp_name);
  FACETAG_RETURN_IF_ERROR(CreatePrivateFile(temp.path()));
  {
    auto db = sql::Connection::Open(catalog.string(), kBusyTimeoutMs);
    FACETAG_RETURN_IF_ERROR(db.status());
    auto vacuum = sql::Statement::Prepare(*db, "VACUUM INTO ?");
    FACETAG_RETURN_IF_ERROR(vacuum.status());
    Status s = vacuum->Bind(1, temp.path().string()).Run();
    if (!s.ok()) return Status(s.code(), "cannot write the backup: " + s.message());
  }
  {
    // A self-contained file: no -wal beside it to lose when it is copied elsewhere.
    auto out = sql::Connection::Open(temp.path().string(), kBusyTimeoutMs);
    FACETAG_RETURN_IF_ERROR(out.status());
    FACETAG_RETURN_IF_ERROR(out->Exec("PRAGMA journal_mode = DELETE"));
  }
  auto info = Inspect(temp.path());
  if (!info.ok())
    return Status(info.status().code(),
                  "the backup just written fails its check: " + info.status().message());
  FACETAG_RETURN_IF_ERROR(SyncFile(temp.path()));
  fs::rename(temp.path(), backup_file, ec);
  if (ec) return IoError("cannot write " + backup_file.string() + ": " + ec.message());
  temp.Release();
  (void)SyncFile(folder);  // the rename itself: best effort, some file systems refuse a folder fsync
  return info;
}

Result<BackupInfo> RestoreCatalog(const fs::path& backup_file, const fs::path& catalog,
                                  const RestoreOptions& options) {
  // Everything that can be wrong with the backup is found before the catalog is touched.
  std::error_code ec;
  if (fs::equivalent(catalog, backup_file, ec))
    return InvalidArgument(backup_file.string() + " is the catalog itself: nothing to restore");
  auto info = Inspect(backup_file);
  FACETAG_RETURN_IF_ERROR(info.status());
  {
    // Creates a missing catalog (private file, WAL mode), as every command does.
    auto created = Catalog::Open(catalog);
    FACETAG_RETURN_IF_ERROR(created.status());
  }
  auto dest = sql::Connection::Open(catalog.string(), kBusyTimeoutMs);
  FACETAG_RETURN_IF_ERROR(dest.status());
  if (!options.replace) FACETAG_RETURN_IF_ERROR(IsEmptyCatalog(*dest, catalog));
  auto version_before = catalog_internal::ReadCorrectionsVersion(*dest);
  FACETAG_RETURN_IF_ERROR(version_before.status());
  auto source = sql::Connection::OpenReadOnly(backup_file.string(), kBusyTimeoutMs);
  FACETAG_RETURN_IF_ERROR(source.status());

  // One step of all pages: SQLite copies them inside one write transaction on the catalog, and
  // rolls it back if anything fails.
  sqlite3_backup* copy = sqlite3_backup_init(dest->get(), "main", source->get(), "main");
  if (copy == nullptr) return sql::Error(dest->get(), sqlite3_errcode(dest->get()), "restore");
  int rc = sqlite3_backup_step(copy, -1);
  for (int waited_ms = 0; (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && waited_ms < kBusyTimeoutMs;
       waited_ms += 50) {
    // Another process is writing the catalog: wait for it as long as a writer would.
    sqlite3_sleep(50);
    rc = sqlite3_backup_step(copy, -1);
  }
  const int step_rc = rc;
  rc = sqlite3_backup_finish(copy);
  if (step_rc != SQLITE_DONE) return sql::Error(dest->get(), step_rc, "restore into " + catalog.string());
  if (rc != SQLITE_OK) return sql::Error(dest->get(), rc, "restore into " + catalog.string());

  // A restore counts as a correction, newer than any the catalog had: a grouping run that read
  // the old catalog is refused (AssignmentPlan), and a running service reloads its names.
  auto bump = sql::Statement::Prepare(
      *dest, "UPDATE meta SET value = MAX(value, ?) + 1 WHERE key = 'corrections_version'");
  FACETAG_RETURN_IF_ERROR(bump.status());
  FACETAG_RETURN_IF_ERROR(bump->Bind(1, *version_before).Run());
  dest = sql::Connection();

  // An older backup: the catalog's own migrations bring it to this facetag's schema.
  auto reopened = Catalog::Open(catalog);
  FACETAG_RETURN_IF_ERROR(reopened.status());
  return info;
}

}  // namespace facetag
