// Faces as stored: boxes and scores in columns, landmarks and embeddings as float32 blobs.
#include "catalog/face_store.h"

namespace facetag {

using namespace catalog_internal;

namespace catalog_internal {

Result<int> InsertFaces(sql::Connection& db, int64_t photo_id, const std::vector<Face>& faces,
                        int first_ordinal) {
  auto insert = sql::Statement::Prepare(
      db,
      "INSERT INTO faces (photo_id, ordinal, x, y, w, h, score, landmarks, embedding) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  FACETAG_RETURN_IF_ERROR(insert.status());
  int ordinal = first_ordinal;
  for (const Face& f : faces) {
    // Checked here rather than up front on purpose: the caller's transaction must undo the
    // faces already written, which the atomicity test relies on.
    if (f.embedding.empty()) {
      return InvalidArgument("face " + std::to_string(ordinal) + " has no embedding");
    }
    insert->Reset();
    insert->Bind(1, photo_id)
        .Bind(2, ordinal)
        .Bind(3, static_cast<double>(f.box.x))
        .Bind(4, static_cast<double>(f.box.y))
        .Bind(5, static_cast<double>(f.box.width))
        .Bind(6, static_cast<double>(f.box.height))
        .Bind(7, static_cast<double>(f.score))
        .BindBlob(8, EncodeLandmarks(f.landmarks))
        .BindBlob(9, EncodeFloats(f.embedding.data(), f.embedding.size()));
    FACETAG_RETURN_IF_ERROR(insert->Run());
    ++ordinal;
  }
  return ordinal - first_ordinal;
}

FaceRecord ReadFace(const sql::Statement& s, int c, bool with_vectors) {
  FaceRecord r;
  r.id = s.Int(c);
  r.photo_id = s.Int(c + 1);
  r.ordinal = static_cast<int>(s.Int(c + 2));
  r.face.box = {static_cast<float>(s.Double(c + 3)), static_cast<float>(s.Double(c + 4)),
                static_cast<float>(s.Double(c + 5)), static_cast<float>(s.Double(c + 6))};
  r.face.score = static_cast<float>(s.Double(c + 7));
  r.person_id = s.IsNull(c + 8) ? 0 : s.Int(c + 8);
  r.assignment = ParseAssignment(s.Text(c + 9));
  r.drawn = s.Int(c + 12) != 0;
  if (with_vectors) {
    r.face.landmarks = DecodeLandmarks(s.Blob(c + 10));
    r.face.embedding = DecodeFloats(s.Blob(c + 11));
  }
  return r;
}

}  // namespace catalog_internal

Result<std::vector<FaceRecord>> Catalog::FacesOfPhoto(int64_t photo_id) {
  auto q = sql::Statement::Prepare(
      impl_->db, std::string("SELECT ") + kFaceColumns + " FROM faces WHERE photo_id = ? ORDER BY ordinal");
  FACETAG_RETURN_IF_ERROR(q.status());
  q->Bind(1, photo_id);
  std::vector<FaceRecord> out;
  FACETAG_RETURN_IF_ERROR(q->ForEachRow([&] { out.push_back(ReadFace(*q, 0, true)); }));
  return out;
}

Result<FaceRecord> Catalog::GetFace(int64_t face_id) {
  auto q =
      sql::Statement::Prepare(impl_->db, std::string("SELECT ") + kFaceColumns + " FROM faces WHERE id = ?");
  FACETAG_RETURN_IF_ERROR(q.status());
  auto row = q->Bind(1, face_id).Step();
  FACETAG_RETURN_IF_ERROR(row.status());
  if (!*row) return NotFound("no face " + std::to_string(face_id));
  return ReadFace(*q, 0, true);
}

}  // namespace facetag
