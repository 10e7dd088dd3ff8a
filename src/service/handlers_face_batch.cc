// POST /api/v1/faces/batch: the person page's bulk actions (move, "not X", "not a face") on many
// faces in one request, as one catalog transaction and one undoable correction.
#include <algorithm>

#include "service/catalog_json.h"
#include "service/catalog_routes.h"
#include "service/context.h"
#include "service/request_params.h"

namespace facetag::service {

using json = nlohmann::json;

namespace {

// More than a person page shows at once; bounds the request's transaction and its undo entry.
constexpr size_t kMaxBatchFaces = 10000;

std::optional<FaceBatch::Action> ParseAction(const json& value) {
  if (!value.is_string()) return std::nullopt;
  const auto& text = value.get_ref<const std::string&>();
  if (text == "move") return FaceBatch::Action::kMove;
  if (text == "reject") return FaceBatch::Action::kReject;
  if (text == "unassign") return FaceBatch::Action::kUnassign;
  return std::nullopt;
}

// The body as a batch, or the 400 that says what is wrong with it.
std::optional<FaceBatch> ParseBatch(const json& body, HttpResponse* error) {
  FaceBatch batch;
  auto action = ParseAction(body.contains("action") ? body["action"] : json());
  if (!action) {
    *error = ErrorResponse(400, "bad_request", R"("action" must be "move", "reject" or "unassign")");
    return std::nullopt;
  }
  batch.action = *action;
  const json& faces = body.contains("faces") ? body["faces"] : json();
  if (!faces.is_array() || faces.empty() || faces.size() > kMaxBatchFaces) {
    *error =
        ErrorResponse(400, "bad_request",
                      "\"faces\" must be an array of 1.." + std::to_string(kMaxBatchFaces) + " face ids");
    return std::nullopt;
  }
  json bad = json::array();
  for (const auto& id : faces) {
    if (id.is_number_integer() && id.get<int64_t>() > 0)
      batch.face_ids.push_back(id.get<int64_t>());
    else
      bad.push_back(id);
  }
  if (!bad.empty()) {
    json j = {{"error",
               {{"code", "bad_request"},
                {"message", "\"faces\" must hold face ids (positive integers)"},
                {"face_ids", bad}}}};
    *error = JsonResponse(400, j);
    return std::nullopt;
  }
  // A face named twice is corrected once.
  std::sort(batch.face_ids.begin(), batch.face_ids.end());
  batch.face_ids.erase(std::unique(batch.face_ids.begin(), batch.face_ids.end()), batch.face_ids.end());
  const json& person = body.contains("person") ? body["person"] : json();
  switch (batch.action) {
    case FaceBatch::Action::kMove:  // an id, or null: one new person for all of them
      if (!body.contains("person") || !(person.is_null() || (person.is_number_integer() && person > 0))) {
        *error =
            ErrorResponse(400, "bad_request", "\"person\" must be a person id, or null for a new person");
        return std::nullopt;
      }
      batch.person_id = person.is_null() ? 0 : person.get<int64_t>();
      break;
    case FaceBatch::Action::kReject:
      if (!person.is_number_integer() || person <= 0) {
        *error = ErrorResponse(400, "bad_request", "\"person\" (the person they are not) is required");
        return std::nullopt;
      }
      batch.person_id = person.get<int64_t>();
      break;
    case FaceBatch::Action::kUnassign:
      break;
  }
  return batch;
}

HttpResponse ApplyBatch(Catalog& c, const FaceBatch& batch) {
  auto moved_to = c.CorrectFaces(batch);
  if (!moved_to.ok()) {
    if (moved_to.status().code() != ErrorCode::kNotFound) return StatusResponse(moved_to.status());
    // Say which ids are unknown, so that the client can drop them (faces purged meanwhile).
    auto unknown = c.UnknownFaces(batch.face_ids);
    if (!unknown.ok() || unknown->empty()) return StatusResponse(moved_to.status());
    json j = {
        {"error", {{"code", "not_found"}, {"message", moved_to.status().message()}, {"face_ids", *unknown}}}};
    return JsonResponse(404, j);
  }
  json person = nullptr;
  if (*moved_to != 0) {
    auto p = PersonById(c, *moved_to);
    if (!p.ok()) return StatusResponse(p.status());
    person = *p;
  }
  return JsonResponse(200, json{{"corrected", batch.face_ids.size()}, {"person", person}});
}

}  // namespace

void AddFaceBatchRoutes(Context& ctx, Router& router) {
  router.Add("POST", "/api/v1/faces/batch", [&ctx](HttpRequest& req, Respond respond) {
    HttpResponse error;
    auto body = JsonBody(req, &error);
    if (!body) return respond(error);
    auto batch = ParseBatch(*body, &error);
    if (!batch) return respond(error);
    WithCatalog(ctx, respond, [&ctx, batch = std::move(*batch)](Catalog& c) {
      HttpResponse r = ApplyBatch(c, batch);
      ctx.known->Invalidate();
      return r;
    });
  });
}

}  // namespace facetag::service
