// The naming workflow's routes (issue 15): the review queue and its answers, merge suggestions,
// undo. Each is one call of facetag/review.h or Catalog; this file only translates JSON.
#include "facetag/review.h"
#include "service/catalog_json.h"
#include "service/catalog_routes.h"
#include "service/context.h"
#include "service/json_body.h"
#include "service/request_params.h"

namespace facetag::service {

using json = nlohmann::json;

namespace {

json SuggestionJson(const NameSuggestion& s) {
  return {{"person", {{"id", s.person.id}, {"name", s.person.name}}},
          {"distance", s.distance},
          {"face_id", s.face_id}};
}

json ItemJson(const ReviewItem& item) {
  json suggestions = json::array();
  for (const auto& s : item.suggestions) suggestions.push_back(SuggestionJson(s));
  return {{"kind", item.target.person_id ? "group" : "face"},
          {"person_id", item.target.person_id ? json(item.target.person_id) : json(nullptr)},
          {"face_id", item.target.face_id ? json(item.target.face_id) : json(nullptr)},
          {"face_ids", item.face_ids},
          {"face_count", item.face_ids.size()},
          {"sample_face_id", item.sample_face_id},
          {"suggestions", suggestions}};
}

json CorrectionJson(const CorrectionEntry& c) {
  return {{"id", c.id}, {"kind", c.kind}, {"summary", c.summary}, {"made_at", c.made_at}};
}

// The item a body names: {"person": id} (an unnamed group) or {"face": id} (a lone face).
std::optional<ReviewTarget> TargetOf(const json& body, HttpResponse* error) {
  const bool person = body.contains("person"), face = body.contains("face");
  const json& id = person ? body["person"] : face ? body["face"] : json();
  if (person == face || !id.is_number_integer()) {
    *error = ErrorResponse(400, "bad_request", "give exactly one of \"person\" or \"face\" (an id)");
    return std::nullopt;
  }
  ReviewTarget t;
  (person ? t.person_id : t.face_id) = id.get<int64_t>();
  return t;
}

}  // namespace

HttpResponse NameTakenResponse(const PersonRecord& existing) {
  json j = {{"error",
             {{"code", "name_taken"},
              {"message", "person " + std::to_string(existing.id) + " already has that name: merge instead?"},
              {"person_id", existing.id},
              {"name", existing.name}}}};
  return JsonResponse(409, j);
}

void AddNamingRoutes(Context& ctx, Router& router) {
  router.Add("GET", "/api/v1/review", CatalogRoute(ctx, [](Catalog& c, const HttpRequest& req) {
               auto queue = ReviewQueue(c);
               if (!queue.ok()) return StatusResponse(queue.status());
               const auto limit = BoundedQuery(req, "limit", 100, 0, 1000);
               if (!limit) return ErrorResponse(400, "bad_request", "limit must be 0..1000");
               json items = json::array();
               for (size_t i = 0; i < queue->size() && i < static_cast<size_t>(*limit); ++i)
                 items.push_back(ItemJson((*queue)[i]));
               return JsonResponse(200, json{{"items", items}, {"total", queue->size()}});
             }));
  router.Add("POST", "/api/v1/review/assign",
             CatalogWriteRoute(ctx, [](Catalog& c, const HttpRequest&, const json& body) {
               HttpResponse error;
               auto target = TargetOf(body, &error);
               if (!target) return error;
               if (!body.contains("to") || !body["to"].is_number_integer())
                 return ErrorResponse(400, "bad_request", "\"to\" (the person's id) is required");
               const int64_t to = body["to"].get<int64_t>();
               if (auto s = AssignReviewItem(c, *target, to); !s.ok()) return StatusResponse(s);
               auto person = PersonById(c, to);
               if (!person.ok()) return StatusResponse(person.status());
               return JsonResponse(200, json{{"person", *person}});
             }));
  router.Add("POST", "/api/v1/review/name",
             CatalogWriteRoute(ctx, [](Catalog& c, const HttpRequest&, const json& body) {
               HttpResponse error;
               auto target = TargetOf(body, &error);
               if (!target) return error;
               if (!body.contains("name") || !body["name"].is_string())
                 return ErrorResponse(400, "bad_request", "\"name\" (a string) is required");
               auto outcome = NameReviewItem(c, *target, body["name"].get<std::string>());
               if (!outcome.ok()) return StatusResponse(outcome.status());
               if (outcome->taken_by) {
                 auto existing = c.GetPerson(outcome->taken_by);
                 if (!existing.ok()) return StatusResponse(existing.status());
                 return NameTakenResponse(*existing);
               }
               auto person = PersonById(c, outcome->person_id);
               if (!person.ok()) return StatusResponse(person.status());
               return JsonResponse(200, json{{"person", *person}});
             }));
  router.Add("POST", "/api/v1/review/dismiss",
             CatalogWriteRoute(ctx, [](Catalog& c, const HttpRequest&, const json& body) {
               HttpResponse error;
               auto target = TargetOf(body, &error);
               if (!target) return error;
               if (auto s = DismissReviewItem(c, *target); !s.ok()) return StatusResponse(s);
               return JsonTextResponse(200, R"({"dismissed":true})");
             }));
  router.Add(
      "GET", "/api/v1/merge-suggestions", CatalogRoute(ctx, [](Catalog& c, const HttpRequest&) {
        auto merges = SuggestMerges(c);
        if (!merges.ok()) return StatusResponse(merges.status());
        json out = json::array();
        for (const auto& m : *merges)
          out.push_back(
              {{"keep", PersonJson(m.keep)}, {"other", PersonJson(m.other)}, {"distance", m.distance}});
        return JsonResponse(200, json{{"suggestions", out}});
      }));
  router.Add(
      "POST", "/api/v1/merge-suggestions/dismiss",
      CatalogWriteRoute(ctx, [](Catalog& c, const HttpRequest&, const json& body) {
        const json& ids = body.contains("persons") ? body["persons"] : json();
        if (!ids.is_array() || ids.size() != 2 || !ids[0].is_number_integer() || !ids[1].is_number_integer())
          return ErrorResponse(400, "bad_request", "\"persons\" (two person ids) is required");
        if (auto s = c.MarkDifferentPersons(ids[0].get<int64_t>(), ids[1].get<int64_t>()); !s.ok())
          return StatusResponse(s);
        return JsonTextResponse(200, R"({"dismissed":true})");
      }));
  router.Add("GET", "/api/v1/corrections", CatalogRoute(ctx, [](Catalog& c, const HttpRequest&) {
               auto recent = c.RecentCorrections();
               if (!recent.ok()) return StatusResponse(recent.status());
               json out = json::array();
               for (const auto& e : *recent) out.push_back(CorrectionJson(e));
               return JsonResponse(200, json{{"corrections", out}, {"undo_depth", kUndoDepth}});
             }));
  router.Add("POST", "/api/v1/undo", [&ctx](HttpRequest&, Respond respond) {
    WithCatalog(ctx, respond, [&ctx](Catalog& c) {
      auto undone = c.UndoLastCorrection();
      ctx.known->Invalidate();
      if (!undone.ok() && undone.status().code() == ErrorCode::kNotFound)
        return ErrorResponse(409, "nothing_to_undo", undone.status().message());
      if (!undone.ok()) return StatusResponse(undone.status());
      return JsonResponse(200, json{{"undone", CorrectionJson(*undone)}});
    });
  });
}

}  // namespace facetag::service
