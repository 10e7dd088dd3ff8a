// Photos and the files they live at: the indexer's writes (one transaction per file) and the
// lookups that let it skip unchanged, moved and copied files without re-running the nets.
#include <algorithm>
#include <ctime>
#include <unordered_set>

#include "catalog/catalog_impl.h"
#include "catalog/face_store.h"

namespace facetag {

using namespace catalog_internal;

namespace {

// What happens to a photo that no path leads to any more.
enum class Orphan {
  kDelete,       // its path now holds other content: the old faces are replaced by the new ones
  kKeepMissing,  // its path became unreadable: keep faces and names until it can be read again
};

Result<std::optional<PhotoRecord>> QueryOnePhoto(sql::Statement& q) {
  auto row = q.Step();
  FACETAG_RETURN_IF_ERROR(row.status());
  if (!*row) return std::optional<PhotoRecord>();
  return std::optional<PhotoRecord>(ReadPhoto(q, 0));
}

Result<std::optional<PhotoRecord>> PhotoByHash(sql::Connection& db, const std::string& hash) {
  auto q = sql::Statement::Prepare(
      db, std::string("SELECT ") + kPhotoColumns + " FROM photos WHERE content_hash = ?");
  FACETAG_RETURN_IF_ERROR(q.status());
  q->Bind(1, hash);
  return QueryOnePhoto(*q);
}

// The photo the file row at `path` points to, or 0.
Result<int64_t> PhotoAtPath(sql::Connection& db, const std::string& path) {
  auto q = sql::Statement::Prepare(db, "SELECT photo_id FROM files WHERE path = ?");
  FACETAG_RETURN_IF_ERROR(q.status());
  auto row = q->Bind(1, path).Step();
  FACETAG_RETURN_IF_ERROR(row.status());
  return *row ? q->Int(0) : int64_t{0};
}

Result<int64_t> CountFiles(sql::Connection& db, int64_t photo_id) {
  auto q = sql::Statement::Prepare(db, "SELECT COUNT(*) FROM files WHERE photo_id = ?");
  FACETAG_RETURN_IF_ERROR(q.status());
  auto row = q->Bind(1, photo_id).Step();
  FACETAG_RETURN_IF_ERROR(row.status());
  return q->Int(0);
}

// Keeps photos.path on a path the photo still lives at, preferring present files.
Status RefreshPrimaryPath(sql::Connection& db, int64_t photo_id) {
  auto s = sql::Statement::Prepare(
      db,
      "UPDATE photos SET path = (SELECT path FROM files WHERE photo_id = ?1 ORDER BY missing, path LIMIT 1) "
      "WHERE id = ?1 AND EXISTS (SELECT 1 FROM files WHERE photo_id = ?1)");
  FACETAG_RETURN_IF_ERROR(s.status());
  return s->Bind(1, photo_id).Run();
}

Status HandleOrphan(sql::Connection& db, int64_t photo_id, Orphan policy) {
  auto files = CountFiles(db, photo_id);
  FACETAG_RETURN_IF_ERROR(files.status());
  if (*files > 0) return RefreshPrimaryPath(db, photo_id);  // still lives elsewhere (a copy)
  auto q = sql::Statement::Prepare(db, "SELECT content_hash IS NULL FROM photos WHERE id = ?");
  FACETAG_RETURN_IF_ERROR(q.status());
  auto row = q->Bind(1, photo_id).Step();
  FACETAG_RETURN_IF_ERROR(row.status());
  const bool unreadable = *row && q->Int(0) != 0;
  if (policy == Orphan::kKeepMissing && !unreadable) {
    auto s = sql::Statement::Prepare(db, "UPDATE photos SET status = 'missing' WHERE id = ?");
    FACETAG_RETURN_IF_ERROR(s.status());
    return s->Bind(1, photo_id).Run();
  }
  auto del = sql::Statement::Prepare(db, "DELETE FROM photos WHERE id = ?");  // faces cascade
  FACETAG_RETURN_IF_ERROR(del.status());
  FACETAG_RETURN_IF_ERROR(del->Bind(1, photo_id).Run());
  return DeleteEmptyUnnamedPersons(db);
}

// Records that `photo_id` lives at `path` now; whatever the path held before becomes an orphan
// if nothing else leads to it.
Status AttachPath(sql::Connection& db, int64_t photo_id, const std::string& path, const FileStat& stat,
                  Orphan policy) {
  auto previous = PhotoAtPath(db, path);
  FACETAG_RETURN_IF_ERROR(previous.status());
  auto upsert = sql::Statement::Prepare(
      db,
      "INSERT INTO files (path, photo_id, size, mtime_ns, missing) VALUES (?1, ?2, ?3, ?4, 0) "
      "ON CONFLICT (path) DO UPDATE SET photo_id = ?2, size = ?3, mtime_ns = ?4, missing = 0");
  FACETAG_RETURN_IF_ERROR(upsert.status());
  FACETAG_RETURN_IF_ERROR(
      upsert->Bind(1, path).Bind(2, photo_id).Bind(3, stat.size).Bind(4, stat.mtime_ns).Run());
  // Found again: a "last known path" kept while it was missing has served its purpose.
  auto stale = sql::Statement::Prepare(db, "DELETE FROM files WHERE photo_id = ? AND missing = 1");
  FACETAG_RETURN_IF_ERROR(stale.status());
  FACETAG_RETURN_IF_ERROR(stale->Bind(1, photo_id).Run());
  auto photo =
      sql::Statement::Prepare(db,
                              "UPDATE photos SET path = ?2, mtime_ns = ?3, "
                              "status = CASE WHEN error IS NULL THEN 'ok' ELSE 'failed' END WHERE id = ?1");
  FACETAG_RETURN_IF_ERROR(photo.status());
  FACETAG_RETURN_IF_ERROR(photo->Bind(1, photo_id).Bind(2, path).Bind(3, stat.mtime_ns).Run());
  if (*previous != 0 && *previous != photo_id) return HandleOrphan(db, *previous, policy);
  return Status::Ok();
}

// Overwrites a photo's processing outcome (and content hash) and its faces. Faces the user drew
// stay (with their names) while their box still lies inside the new content: the detector that
// missed them will likely miss them again.
Result<int> ReplacePhoto(sql::Connection& db, int64_t photo_id, const PhotoInput& in,
                         const std::vector<Face>& faces) {
  auto del = sql::Statement::Prepare(
      db,
      "DELETE FROM faces WHERE photo_id = ?1 AND NOT (drawn = 1 AND x >= 0 AND y >= 0 AND x + w <= ?2 AND "
      "y + h <= ?3)");
  FACETAG_RETURN_IF_ERROR(del.status());
  FACETAG_RETURN_IF_ERROR(del->Bind(1, photo_id).Bind(2, in.width).Bind(3, in.height).Run());
  auto up = sql::Statement::Prepare(
      db,
      "UPDATE photos SET content_hash = ?2, size = ?3, width = ?4, height = ?5, status = ?6, error = ?7, "
      "indexed_at = ?8, processed_by = ?9 WHERE id = ?1");
  FACETAG_RETURN_IF_ERROR(up.status());
  up->Bind(1, photo_id).Bind(3, in.stat.size).Bind(4, in.width).Bind(5, in.height);
  up->Bind(6, PhotoStatusName(in.status)).Bind(8, static_cast<int64_t>(std::time(nullptr)));
  if (in.content_hash.empty())
    up->BindNull(2);
  else
    up->Bind(2, in.content_hash);
  if (in.status == PhotoStatus::kFailed)
    up->Bind(7, in.error);
  else
    up->BindNull(7);
  if (in.processed_by.empty())
    up->BindNull(9);
  else
    up->Bind(9, in.processed_by);
  FACETAG_RETURN_IF_ERROR(up->Run());
  auto added = InsertFaces(db, photo_id, faces);
  FACETAG_RETURN_IF_ERROR(added.status());
  FACETAG_RETURN_IF_ERROR(DeleteEmptyUnnamedPersons(db));
  return *added;
}

Result<int64_t> InsertPhoto(sql::Connection& db, const PhotoInput& in) {
  auto ins = sql::Statement::Prepare(
      db,
      "INSERT INTO photos (content_hash, path, size, mtime_ns, width, height, status, error, indexed_at, "
      "processed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  FACETAG_RETURN_IF_ERROR(ins.status());
  if (in.content_hash.empty())
    ins->BindNull(1);
  else
    ins->Bind(1, in.content_hash);
  ins->Bind(2, in.path).Bind(3, in.stat.size).Bind(4, in.stat.mtime_ns).Bind(5, in.width).Bind(6, in.height);
  ins->Bind(7, PhotoStatusName(in.status)).Bind(9, static_cast<int64_t>(std::time(nullptr)));
  if (in.status == PhotoStatus::kFailed)
    ins->Bind(8, in.error);
  else
    ins->BindNull(8);
  if (in.processed_by.empty())
    ins->BindNull(10);
  else
    ins->Bind(10, in.processed_by);
  FACETAG_RETURN_IF_ERROR(ins->Run());
  return db.last_insert_rowid();
}

Status ValidateInput(const PhotoInput& in, const std::vector<Face>& faces) {
  if (in.path.empty()) return InvalidArgument("photo without a path");
  if (in.status == PhotoStatus::kMissing) return InvalidArgument("a processed photo cannot be missing");
  if (in.status == PhotoStatus::kOk && in.content_hash.empty())
    return InvalidArgument("photo without a content hash");
  if (in.status == PhotoStatus::kFailed && !faces.empty())
    return InvalidArgument("a failed photo has no faces");
  return Status::Ok();
}

}  // namespace

Result<std::optional<PhotoRecord>> Catalog::FindByPathAndStat(const std::string& path, const FileStat& stat) {
  auto q = sql::Statement::Prepare(
      impl_->db, std::string("SELECT ") + kPhotoColumns +
                     " FROM files JOIN photos ON photos.id = files.photo_id "
                     "WHERE files.path = ? AND files.size = ? AND files.mtime_ns = ? AND files.missing = 0");
  FACETAG_RETURN_IF_ERROR(q.status());
  q->Bind(1, path).Bind(2, stat.size).Bind(3, stat.mtime_ns);
  return QueryOnePhoto(*q);
}

Result<std::optional<PhotoRecord>> Catalog::FindByHash(const std::string& content_hash) {
  if (content_hash.empty()) return std::optional<PhotoRecord>();
  return PhotoByHash(impl_->db, content_hash);
}

Result<AddPhotoOutcome> Catalog::AddPhotoResult(const PhotoInput& in, const std::vector<Face>& faces) {
  FACETAG_RETURN_IF_ERROR(ValidateInput(in, faces));
  auto& db = impl_->db;
  auto tx = sql::Transaction::Begin(db);
  FACETAG_RETURN_IF_ERROR(tx.status());
  AddPhotoOutcome out;

  std::optional<PhotoRecord> known;
  if (!in.content_hash.empty()) {
    auto found = PhotoByHash(db, in.content_hash);
    FACETAG_RETURN_IF_ERROR(found.status());
    known = std::move(*found);
  }
  const Orphan policy = in.content_hash.empty() ? Orphan::kKeepMissing : Orphan::kDelete;

  if (known && known->error.empty()) {
    // Processed before (a move, a copy or a second run): its faces carry names, keep them.
    out.kind = AddPhotoOutcome::Kind::kKnownContent;
    out.photo_id = known->id;
  } else if (known) {
    // Its earlier processing failed and this one is a retry: take the new outcome.
    out.kind = AddPhotoOutcome::Kind::kReplaced;
    out.photo_id = known->id;
    auto added = ReplacePhoto(db, known->id, in, faces);
    FACETAG_RETURN_IF_ERROR(added.status());
    out.faces_added = *added;
  } else {
    auto previous = PhotoAtPath(db, in.path);
    FACETAG_RETURN_IF_ERROR(previous.status());
    int64_t reuse = 0;
    if (*previous != 0) {
      // Same path, new content: the photo row is re-processed in place if nothing else leads
      // to it, so its id stays; a copy elsewhere keeps the old content and faces.
      auto files = CountFiles(db, *previous);
      FACETAG_RETURN_IF_ERROR(files.status());
      auto old = GetPhoto(*previous);
      FACETAG_RETURN_IF_ERROR(old.status());
      const bool old_unreadable = old->content_hash.empty();
      if (*files == 1 && (policy == Orphan::kDelete || old_unreadable)) reuse = *previous;
    }
    if (reuse) {
      out.kind = AddPhotoOutcome::Kind::kReplaced;
      out.photo_id = reuse;
      auto added = ReplacePhoto(db, reuse, in, faces);
      FACETAG_RETURN_IF_ERROR(added.status());
      out.faces_added = *added;
    } else {
      out.kind = AddPhotoOutcome::Kind::kAdded;
      auto id = InsertPhoto(db, in);
      FACETAG_RETURN_IF_ERROR(id.status());
      out.photo_id = *id;
      auto added = InsertFaces(db, *id, faces);
      FACETAG_RETURN_IF_ERROR(added.status());
      out.faces_added = *added;
    }
  }
  FACETAG_RETURN_IF_ERROR(AttachPath(db, out.photo_id, in.path, in.stat, policy));
  FACETAG_RETURN_IF_ERROR(tx->Commit());
  return out;
}

Status Catalog::RecordPath(int64_t photo_id, const std::string& path, const FileStat& stat) {
  if (path.empty()) return InvalidArgument("empty path");
  auto& db = impl_->db;
  auto tx = sql::Transaction::Begin(db);
  FACETAG_RETURN_IF_ERROR(tx.status());
  auto photo = GetPhoto(photo_id);
  FACETAG_RETURN_IF_ERROR(photo.status());
  FACETAG_RETURN_IF_ERROR(AttachPath(db, photo_id, path, stat, Orphan::kDelete));
  return tx->Commit();
}

Result<int64_t> Catalog::MarkMissing(const std::string& root_in, const std::vector<std::string>& seen_paths) {
  // A URL (s3://bucket/prefix) is compared as it is: lexical normalisation would fold its "//".
  std::string root = root_in.find("://") != std::string::npos
                         ? root_in
                         : std::filesystem::path(root_in).lexically_normal().string();
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  if (root.empty()) return InvalidArgument("empty root");
  // Everything under root/ sorts between "root/" and "root0" ('0' follows '/').
  std::string lower = root.back() == '/' ? root : root + "/";
  std::string upper = lower;
  upper.back() = static_cast<char>(upper.back() + 1);

  auto& db = impl_->db;
  auto tx = sql::Transaction::Begin(db);
  FACETAG_RETURN_IF_ERROR(tx.status());
  auto q = sql::Statement::Prepare(db,
                                   "SELECT path, photo_id FROM files WHERE missing = 0 AND (path = ? OR "
                                   "(path >= ? AND path < ?)) ORDER BY path");
  FACETAG_RETURN_IF_ERROR(q.status());
  q->Bind(1, root).Bind(2, lower).Bind(3, upper);
  const std::unordered_set<std::string> seen(seen_paths.begin(), seen_paths.end());
  std::vector<std::pair<std::string, int64_t>> gone;
  FACETAG_RETURN_IF_ERROR(q->ForEachRow([&] {
    std::string path = q->Text(0);
    if (!seen.count(path)) gone.emplace_back(std::move(path), q->Int(1));
  }));

  auto others = sql::Statement::Prepare(
      db, "SELECT COUNT(*) FROM files WHERE photo_id = ? AND path != ? AND missing = 0");
  auto forget = sql::Statement::Prepare(db, "DELETE FROM files WHERE path = ?");
  auto mark_file = sql::Statement::Prepare(db, "UPDATE files SET missing = 1 WHERE path = ?");
  auto mark_photo = sql::Statement::Prepare(db, "UPDATE photos SET status = 'missing' WHERE id = ?");
  FACETAG_RETURN_IF_ERROR(others.status());
  FACETAG_RETURN_IF_ERROR(forget.status());
  FACETAG_RETURN_IF_ERROR(mark_file.status());
  FACETAG_RETURN_IF_ERROR(mark_photo.status());
  int64_t newly_missing = 0;
  for (const auto& [path, photo_id] : gone) {
    others->Reset();
    auto row = others->Bind(1, photo_id).Bind(2, path).Step();
    FACETAG_RETURN_IF_ERROR(row.status());
    if (others->Int(0) > 0) {
      // A copy (or the old name of a moved file): the photo still lives elsewhere.
      forget->Reset();
      FACETAG_RETURN_IF_ERROR(forget->Bind(1, path).Run());
      FACETAG_RETURN_IF_ERROR(RefreshPrimaryPath(db, photo_id));
    } else {
      // Its last path: remember it and keep the faces; the drive may just be unplugged.
      mark_file->Reset();
      FACETAG_RETURN_IF_ERROR(mark_file->Bind(1, path).Run());
      mark_photo->Reset();
      FACETAG_RETURN_IF_ERROR(mark_photo->Bind(1, photo_id).Run());
      ++newly_missing;
    }
  }
  FACETAG_RETURN_IF_ERROR(tx->Commit());
  return newly_missing;
}

Result<PhotoRecord> Catalog::GetPhoto(int64_t photo_id) {
  auto q = sql::Statement::Prepare(impl_->db,
                                   std::string("SELECT ") + kPhotoColumns + " FROM photos WHERE id = ?");
  FACETAG_RETURN_IF_ERROR(q.status());
  q->Bind(1, photo_id);
  auto one = QueryOnePhoto(*q);
  FACETAG_RETURN_IF_ERROR(one.status());
  if (!*one) return NotFound("no photo " + std::to_string(photo_id));
  return std::move(**one);
}

Result<std::vector<PhotoRecord>> Catalog::FailedPhotos() {
  auto q = sql::Statement::Prepare(impl_->db, std::string("SELECT ") + kPhotoColumns +
                                                  " FROM photos WHERE status = 'failed' ORDER BY path");
  FACETAG_RETURN_IF_ERROR(q.status());
  std::vector<PhotoRecord> out;
  FACETAG_RETURN_IF_ERROR(q->ForEachRow([&] { out.push_back(ReadPhoto(*q, 0)); }));
  return out;
}

}  // namespace facetag
