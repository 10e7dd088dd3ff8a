// What handlers read from a request besides its route: ids in the path, paging numbers in the
// query, the JSON body's object and the ids in it. Each reading says no (nullopt, or the error
// answer) rather than guessing, so a bad parameter becomes a 400 or 404, never a surprise.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "service/http_types.h"

namespace facetag::service {

// Digits only, at most 18 of them: an id from a path or a query.
std::optional<int64_t> DecimalId(const std::string& text);
// The id path parameter, or nullopt (the caller answers 404).
std::optional<int64_t> IdParam(const HttpRequest& request, const std::string& name = "id");
// A number in the query (limit, offset): `fallback` when absent; nullopt unless digits within
// [min, max] (so -1, 1e3 and 2^64-1 are refused, not wrapped or clamped).
std::optional<int64_t> BoundedQuery(const HttpRequest& request, const std::string& name, int64_t fallback,
                                    int64_t min, int64_t max);
// The body the dispatcher parsed (request.json) as a JSON object, or a 400 bad_json / 415 answer.
std::optional<nlohmann::json> JsonBody(const HttpRequest& request, HttpResponse* error);
// An id inside a JSON body: an integer, nothing else (not "3", not 3.5).
std::optional<int64_t> JsonId(const nlohmann::json& value);

}  // namespace facetag::service
