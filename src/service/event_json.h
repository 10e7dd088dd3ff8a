// Recognition events as JSON: the shape of GET /api/v1/events and /events/summary, and of
// `facetag events --json`, written in one place so that the two never drift apart.
#pragma once

#include <nlohmann/json.hpp>

#include "facetag/events.h"

namespace facetag::service {

// {"id", "at" (ISO 8601 UTC), "at_ms", "person": {"id", "name"} | null, "distance": number | null,
//  "source", "served_by"}
nlohmann::json EventJson(const RecognitionEvent& event);
// {"day", "person": {"id", "name"} | null, "first_seen", "last_seen" (ISO 8601 UTC),
//  "first_seen_ms", "last_seen_ms", "count"}
nlohmann::json EventDayJson(const EventDay& day);

}  // namespace facetag::service
