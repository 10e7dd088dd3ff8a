// Faces the user drew where the detector found none. They are stored like detected faces (box,
// landmarks, embedding) with drawn = 1 and a negative ordinal: re-analysis numbers detections
// 0..n-1, so the two never collide, and ReplacePhoto keeps drawn faces (photo_store.cc).
#include <cmath>

#include "catalog/catalog_impl.h"
#include "catalog/correction_log.h"
#include "catalog/face_store.h"

namespace facetag {

using namespace catalog_internal;

Result<int64_t> Catalog::AddDrawnFace(int64_t photo_id, const Face& face) {
  auto& db = impl_->db;
  auto tx = sql::Transaction::Begin(db);
  FACETAG_RETURN_IF_ERROR(tx.status());
  auto photo = GetPhoto(photo_id);
  FACETAG_RETURN_IF_ERROR(photo.status());
  const Box& b = face.box;
  const bool finite =
      std::isfinite(b.x) && std::isfinite(b.y) && std::isfinite(b.width) && std::isfinite(b.height);
  if (!finite || b.width <= 0 || b.height <= 0 || b.x < 0 || b.y < 0 || b.x + b.width > photo->width ||
      b.y + b.height > photo->height)
    return InvalidArgument("the box is not inside the photo");
  auto next = sql::Statement::Prepare(
      db, "SELECT MIN(COALESCE(MIN(ordinal), 0), 0) - 1 FROM faces WHERE photo_id = ?");
  FACETAG_RETURN_IF_ERROR(next.status());
  auto row = next->Bind(1, photo_id).Step();
  FACETAG_RETURN_IF_ERROR(row.status());
  const int ordinal = static_cast<int>(next->Int(0));
  FACETAG_RETURN_IF_ERROR(InsertFaces(db, photo_id, {face}, ordinal));
  const int64_t face_id = db.last_insert_rowid();
  auto mark = sql::Statement::Prepare(db, "UPDATE faces SET drawn = 1 WHERE id = ?");
  FACETAG_RETURN_IF_ERROR(mark.status());
  FACETAG_RETURN_IF_ERROR(mark->Bind(1, face_id).Run());

  Before before{
      "draw", "drew face " + std::to_string(face_id) + " on photo " + std::to_string(photo_id), {}, {}, {}};
  FACETAG_RETURN_IF_ERROR(Snapshot(db, before));
  FACETAG_RETURN_IF_ERROR(BumpCorrectionsVersion(db));
  FACETAG_RETURN_IF_ERROR(LogCorrection(db, before, {}, {face_id}));
  FACETAG_RETURN_IF_ERROR(tx->Commit());
  return face_id;
}

}  // namespace facetag
