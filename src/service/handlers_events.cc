// The recognition event routes: GET /api/v1/events (a page, newest first, keyset by id) and
// GET /api/v1/events/summary (per day and person). Every query parameter is checked: a bad one
// is a 400 naming it, never an empty or surprising answer.
#include "facetag/events.h"
#include "service/catalog_routes.h"
#include "service/context.h"
#include "service/request_params.h"

namespace facetag::service {
namespace {

using json = nlohmann::json;

std::optional<EventQuery> ParseFilters(const HttpRequest& req, int default_limit, int max_limit,
                                       HttpResponse* error) {
  const auto bad = [&](const std::string& message) {
    *error = ErrorResponse(400, "bad_request", message);
    return std::nullopt;
  };
  EventQuery q;
  if (auto it = req.query.find("person"); it != req.query.end()) {
    if (it->second == "unknown") {
      q.person = 0;
    } else if (auto id = DecimalId(it->second); id && *id > 0) {
      q.person = *id;
    } else {
      return bad("person must be a person id or \"unknown\"");
    }
  }
  if (auto it = req.query.find("source"); it != req.query.end()) {
    if (Status s = ValidateEventSource(it->second); !s.ok()) return bad(s.message());
    q.source = it->second;
  }
  for (const char* name : {"since", "until"}) {
    auto it = req.query.find(name);
    if (it == req.query.end()) continue;
    auto t = ParseEventTime(it->second);
    if (!t.ok()) return bad(std::string(name) + ": " + t.status().message() + "; in a URL, write + as %2B");
    (std::string_view(name) == "since" ? q.since_ms : q.until_ms) = *t;
  }
  const auto limit = BoundedQuery(req, "limit", default_limit, 1, max_limit);
  if (!limit) return bad("limit must be 1.." + std::to_string(max_limit));
  q.limit = static_cast<int>(*limit);
  if (auto it = req.query.find("cursor"); it != req.query.end()) {
    auto cursor = DecimalId(it->second);
    if (!cursor || *cursor < 1) return bad("cursor must be the next_cursor of an earlier page");
    q.cursor = *cursor;
  }
  if (auto it = req.query.find("order"); it != req.query.end()) {
    if (it->second != "newest" && it->second != "oldest") return bad("order must be newest or oldest");
    q.oldest_first = it->second == "oldest";
  }
  return q;
}

}  // namespace

void AddEventRoutes(Context& ctx, Router& router) {
  router.Add("GET", "/api/v1/events", [&ctx](HttpRequest& req, Respond respond) {
    HttpResponse error;
    auto query = ParseFilters(req, kDefaultEventPage, kMaxEventPage, &error);
    if (!query) return respond(error);
    WithCatalog(ctx, respond, [&ctx, query = *query](Catalog& c) {
      auto page = c.ListEvents(query);
      if (!page.ok()) return StatusResponse(page.status());
      json events = json::array();
      for (const auto& e : page->events) events.push_back(EventToJson(e));
      return JsonResponse(200,
                          json{{"events", events},
                               {"next_cursor", page->next_cursor ? json(page->next_cursor) : json(nullptr)},
                               {"recording", ctx.events != nullptr}});
    });
  });

  router.Add("GET", "/api/v1/events/summary", [&ctx](HttpRequest& req, Respond respond) {
    HttpResponse error;
    if (req.query.count("cursor") || req.query.count("order"))
      return respond(ErrorResponse(400, "bad_request", "the summary takes no cursor or order"));
    auto query = ParseFilters(req, 1000, kMaxEventSummaryRows, &error);
    if (!query) return respond(error);
    auto offset = ParseUtcOffset(req.Query("tz"));
    if (!offset.ok())
      return respond(
          ErrorResponse(400, "bad_request", "tz: " + offset.status().message() + " (write + as %2B)"));
    WithCatalog(ctx, respond, [&ctx, query = *query, offset = *offset](Catalog& c) {
      auto summary = c.SummarizeEvents(query, offset);
      if (!summary.ok()) return StatusResponse(summary.status());
      json days = json::array();
      for (const auto& d : summary->days) days.push_back(EventDayToJson(d));
      return JsonResponse(
          200, json{{"days", days}, {"truncated", summary->truncated}, {"recording", ctx.events != nullptr}});
    });
  });
}

}  // namespace facetag::service
