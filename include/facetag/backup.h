// Backups of the catalog: everything the user made (people, names, hidden flags, every
// correction) and everything facetag computed (photos, faces, descriptors, annotations), so that
// a restored catalog groups, names and answers exactly as the original did.
//
// A backup is a SQLite snapshot of the catalog file (VACUUM INTO): one consistent transaction,
// taken while other processes keep reading and writing, holding every table as it is. The
// corrections are not a separate log but state spread over several tables (user assignments
// on faces, face_rejections, persons' pinned and hidden flags, the corrections counter), so a
// copy of the tables is the only form that cannot forget one; a JSON dump would have to follow
// every schema change by hand. The file opens with the sqlite3 shell, and an older backup is
// upgraded by the catalog's own migrations when it is restored.
#pragma once

#include <cstdint>
#include <filesystem>

#include "facetag/status.h"

namespace facetag {

// What a backup file holds (checked, see VerifyBackup).
struct BackupInfo {
  int schema_version = 0;
  int64_t photos = 0, faces = 0, people = 0, corrections = 0;  // corrections: user-assigned faces
  int64_t rejections = 0, annotations = 0;
  int64_t bytes = 0;  // size of the backup file
};

// Writes a snapshot of the catalog at `catalog` to `backup_file`: first to a private (0600)
// temporary file beside it, checked and flushed to disk, then renamed over `backup_file`, so
// the file is either the old one or a whole new backup, never half of one.
Result<BackupInfo> BackupCatalog(const std::filesystem::path& catalog,
                                 const std::filesystem::path& backup_file);

// Reads `backup_file` without changing it: a SQLite file (not truncated: its header's page
// count matches its size), PRAGMA integrity_check clean, facetag's tables present, a schema
// this facetag knows. kCorrupt (with the reason) or kUnsupported (a newer facetag's backup).
Result<BackupInfo> VerifyBackup(const std::filesystem::path& backup_file);

struct RestoreOptions {
  // Restore over a catalog that already has photos or people (they are lost). Without it such a
  // catalog is refused (kInvalidArgument) and left as it is.
  bool replace = false;
};

// Makes the catalog at `catalog` (created if missing) a copy of `backup_file`. The backup is
// verified first, so a damaged one leaves the catalog untouched; the copy itself is one SQLite
// transaction on the catalog (the online backup API), so other processes see the old catalog or
// the restored one, never a mix, and a crash half-way leaves the old one.
Result<BackupInfo> RestoreCatalog(const std::filesystem::path& backup_file,
                                  const std::filesystem::path& catalog, const RestoreOptions& options = {});

}  // namespace facetag
