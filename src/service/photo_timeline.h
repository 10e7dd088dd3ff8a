// GET /api/v1/photos?sort=taken: the library newest first, paged by keyset cursors
// ("<taken>_<photo id>") that the server never has to remember.
#pragma once

#include <nlohmann/json.hpp>

#include "facetag/catalog.h"
#include "service/http_types.h"

namespace facetag::service {

// The page the query asks for (limit, cursor or before), or a 400 naming the bad parameter.
HttpResponse TimelineAnswer(Catalog& catalog, const HttpRequest& request);
// A photo's place on the timeline: taken, taken_from (exif or file) and its cursor.
nlohmann::json TimelineFields(const TimelinePhoto& entry);

}  // namespace facetag::service
