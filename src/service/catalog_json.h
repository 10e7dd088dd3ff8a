// The catalog's records as the API writes them (docs/API.md): one function per shape, so a
// person, a photo or a box reads the same in every answer that carries it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "facetag/catalog.h"

namespace facetag::service {

// [x, y, width, height] in pixels.
nlohmann::json BoxJson(const Box& box);
// {id, name, hidden, face_count, photo_count, sample_face_id}.
nlohmann::json PersonJson(const PersonSummary& p);
// PersonJson of one person, also of one with no faces (whom the summary list leaves out).
Result<nlohmann::json> PersonById(Catalog& catalog, int64_t id);
// {id, name} of the person a face belongs to; null for nobody (0) or a person gone meanwhile.
nlohmann::json FaceOwnerJson(Catalog& catalog, int64_t person_id);
// {id, path, width, height, status, face_count}: a photo in every list of photos.
nlohmann::json PhotoJson(const PhotoRecord& photo, int64_t face_count);
// PhotoJson with the faces counted in the catalog.
nlohmann::json PhotoJson(Catalog& catalog, const PhotoRecord& photo);

}  // namespace facetag::service
