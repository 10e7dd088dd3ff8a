// The timeline: photos by when they were taken (photos.taken_key, kept by schema version 8's
// triggers), paged by keyset so that page 1000 costs what page 1 does.
#include <string>

#include "catalog/catalog_impl.h"

namespace facetag {

using namespace catalog_internal;

namespace {

// kPhotoColumns, then the key, whether it came from EXIF, and the face count.
const std::string kTimelineColumns =
    std::string(kPhotoColumns) +
    ", photos.taken_key, EXISTS (SELECT 1 FROM photo_exif e WHERE e.photo_id = photos.id AND "
    "e.content_hash = photos.content_hash AND e.taken IS NOT NULL), "
    "(SELECT COUNT(*) FROM faces WHERE faces.photo_id = photos.id)";
constexpr int kPhotoColumnCount = 11;

TimelinePhoto ReadTimelinePhoto(const sql::Statement& q) {
  TimelinePhoto t;
  t.photo = ReadPhoto(q, 0);
  t.key = {q.Text(kPhotoColumnCount), t.photo.id};
  t.taken_from_exif = q.Int(kPhotoColumnCount + 1) != 0;
  t.face_count = q.Int(kPhotoColumnCount + 2);
  return t;
}

}  // namespace

Result<std::vector<TimelinePhoto>> Catalog::Timeline(const std::optional<TimelineKey>& from,
                                                     TimelineDirection direction, int limit) {
  const bool older = direction == TimelineDirection::kOlder;
  std::string sql = "SELECT " + kTimelineColumns + " FROM photos WHERE status != 'failed'";
  // A row value comparison: SQLite walks the (taken_key, id) index from the key on.
  if (from) sql += older ? " AND (taken_key, id) < (?1, ?2)" : " AND (taken_key, id) > (?1, ?2)";
  sql += older ? " ORDER BY taken_key DESC, id DESC" : " ORDER BY taken_key, id";
  sql += " LIMIT ?3";
  auto q = sql::Statement::Prepare(impl_->db, sql);
  FACETAG_RETURN_IF_ERROR(q.status());
  if (from) q->Bind(1, from->taken).Bind(2, from->photo_id);
  q->Bind(3, static_cast<int64_t>(limit));
  std::vector<TimelinePhoto> out;
  FACETAG_RETURN_IF_ERROR(q->ForEachRow([&] { out.push_back(ReadTimelinePhoto(*q)); }));
  return out;
}

Result<TimelinePhoto> Catalog::TimelineEntry(int64_t photo_id) {
  auto q = sql::Statement::Prepare(impl_->db, "SELECT " + kTimelineColumns + " FROM photos WHERE id = ?");
  FACETAG_RETURN_IF_ERROR(q.status());
  auto row = q->Bind(1, photo_id).Step();
  FACETAG_RETURN_IF_ERROR(row.status());
  if (!*row) return NotFound("no photo " + std::to_string(photo_id));
  return ReadTimelinePhoto(*q);
}

}  // namespace facetag
