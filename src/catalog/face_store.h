// Writing and reading face rows (internal to the catalog).
#pragma once

#include <vector>

#include "catalog/catalog_impl.h"

namespace facetag::catalog_internal {

inline constexpr const char* kFaceColumns =
    "faces.id, faces.photo_id, faces.ordinal, faces.x, faces.y, faces.w, faces.h, faces.score, "
    "faces.person_id, faces.assignment, faces.landmarks, faces.embedding, faces.drawn";

// Inserts `faces` in order (ordinals first_ordinal, first_ordinal + 1, ...); returns how many.
// Call inside a transaction.
Result<int> InsertFaces(sql::Connection& db, int64_t photo_id, const std::vector<Face>& faces,
                        int first_ordinal = 0);
// Reads kFaceColumns from `first_col` on; landmarks and embedding only `with_vectors`.
FaceRecord ReadFace(const sql::Statement& s, int first_col, bool with_vectors);

}  // namespace facetag::catalog_internal
