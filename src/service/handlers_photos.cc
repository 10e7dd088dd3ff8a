// Browsing photos: the timeline (GET /photos?sort=taken, paged by keyset cursors), the faces of
// the photo page (who, and how sure the grouping was) and faces the user draws where the detector
// found none (POST /photos/{id}/faces, described by the same engine as detected faces).
#include <algorithm>
#include <cctype>
#include <cmath>

#include "facetag/engine.h"
#include "service/context.h"

namespace facetag::service {

using json = nlohmann::json;

namespace {

constexpr int kDefaultTimelinePage = 100;
constexpr int kMaxTimelinePage = 1000;
constexpr int kDrawDecodeWaitMs = 3000;

// A cursor is "<taken>_<photo id>", e.g. "2021-06-01T10:00:00_42": readable in an address, and
// nothing the server has to remember.
std::string CursorText(const TimelineKey& key) { return key.taken + "_" + std::to_string(key.photo_id); }

std::optional<TimelineKey> ParseCursor(const std::string& text) {
  const auto cut = text.rfind('_');
  if (cut == std::string::npos || cut > 32) return std::nullopt;
  TimelineKey key{text.substr(0, cut), 0};
  for (char c : key.taken)
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == ':' || c == 'T' || c == ' '))
      return std::nullopt;
  const auto id = DecimalId(text.substr(cut + 1));
  if (!id) return std::nullopt;
  key.photo_id = *id;
  return key;
}

std::optional<int> PageSize(const HttpRequest& req) {
  auto it = req.query.find("limit");
  if (it == req.query.end()) return kDefaultTimelinePage;
  const auto v = DecimalId(it->second);
  if (!v || *v < 1 || *v > kMaxTimelinePage) return std::nullopt;
  return static_cast<int>(*v);
}

std::optional<Box> BoxFromJson(const json& j) {
  if (!j.is_array() || j.size() != 4) return std::nullopt;
  float v[4];
  for (size_t i = 0; i < 4; ++i) {
    if (!j[i].is_number()) return std::nullopt;
    v[i] = j[i].get<float>();
    if (!std::isfinite(v[i])) return std::nullopt;
  }
  return Box{v[0], v[1], v[2], v[3]};
}

}  // namespace

json TimelineFields(const TimelinePhoto& entry) {
  return {{"taken", entry.key.taken},
          {"taken_from", entry.taken_from_exif ? "exif" : "file"},
          {"cursor", CursorText(entry.key)}};
}

HttpResponse TimelineAnswer(Catalog& catalog, const HttpRequest& req) {
  const auto limit = PageSize(req);
  if (!limit)
    return ErrorResponse(400, "bad_request", "limit must be 1.." + std::to_string(kMaxTimelinePage));
  const std::string after = req.Query("cursor"), before = req.Query("before");
  if (!after.empty() && !before.empty())
    return ErrorResponse(400, "bad_request", "give cursor (older photos) or before (newer ones), not both");
  std::optional<TimelineKey> from;
  if (!after.empty() || !before.empty()) {
    from = ParseCursor(after.empty() ? before : after);
    if (!from)
      return ErrorResponse(400, "bad_request", "cursor must be a \"cursor\" value from an earlier answer");
  }
  const auto direction = before.empty() ? TimelineDirection::kOlder : TimelineDirection::kNewer;
  // One more than asked: whether there is a further page, without counting the library.
  auto page = catalog.Timeline(from, direction, *limit + 1);
  if (!page.ok()) return StatusResponse(page.status());
  const bool more = page->size() > static_cast<size_t>(*limit);
  if (more) page->pop_back();
  if (direction == TimelineDirection::kNewer) std::reverse(page->begin(), page->end());
  json photos = json::array();
  for (const auto& entry : *page) {
    json p = {{"id", entry.photo.id},
              {"path", entry.photo.path},
              {"width", entry.photo.width},
              {"height", entry.photo.height},
              {"status", PhotoStatusName(entry.photo.status)},
              {"face_count", entry.face_count}};
    p.update(TimelineFields(entry));
    photos.push_back(std::move(p));
  }
  json next = nullptr, previous = nullptr;
  // Newest first on the page either way: older photos follow its last, newer precede its first.
  const bool older_exist = direction == TimelineDirection::kOlder ? more : from.has_value();
  const bool newer_exist = direction == TimelineDirection::kNewer ? more : from.has_value();
  if (!page->empty() && older_exist) next = CursorText(page->back().key);
  if (!page->empty() && newer_exist) previous = CursorText(page->front().key);
  return JsonResponse(200, json{{"photos", photos}, {"next_cursor", next}, {"prev_cursor", previous}});
}

json PhotoFaceJson(Catalog& catalog, const FaceRecord& f) {
  json person = nullptr, distance = nullptr;
  if (f.person_id) {
    auto p = catalog.GetPerson(f.person_id);
    if (p.ok()) person = {{"id", p->id}, {"name", p->name}};
    // Only an automatic grouping has a "how sure": the user's own choice is certain.
    if (f.assignment == Assignment::kAuto) {
      auto d = catalog.DistanceToOwnPerson(f.id);
      if (d.ok() && d->has_value()) distance = **d;
    }
  }
  return {{"id", f.id},       {"box", BoxJson(f.face.box)},
          {"person", person}, {"assignment", f.assignment == Assignment::kUser ? "user" : "auto"},
          {"drawn", f.drawn}, {"distance", distance}};
}

void AddPhotoRoutes(Context& ctx, Router& router) {
  router.Add("POST", "/api/v1/photos/{id}/faces", [&ctx](HttpRequest& req, Respond respond) {
    const auto id = IdParam(req);
    if (!id) return respond(ErrorResponse(404, "not_found", "no such photo"));
    HttpResponse error;
    auto body = JsonBody(req, &error);
    if (!body) return respond(error);
    const auto box = BoxFromJson(body->contains("box") ? (*body)["box"] : json());
    if (!box)
      return respond(ErrorResponse(400, "bad_request", "\"box\" must be [x, y, width, height] in pixels"));
    Submit(ctx, req, respond, [&ctx, id = *id, box = *box](FaceEngine& engine, const HttpRequest&) {
      std::string path;
      {
        std::lock_guard lock(ctx.catalog_mu);
        auto photo = ctx.catalog->GetPhoto(id);
        if (!photo.ok()) return StatusResponse(photo.status());
        if (photo->status != PhotoStatus::kOk)
          return ErrorResponse(409, "conflict",
                               "the photo is " + std::string(PhotoStatusName(photo->status)));
        path = photo->path;
      }
      std::optional<PixelBudget::Lease> lease;
      auto decoded = DecodeImageFile(
          path,
          WithDecodeBudget(ctx, ctx.options.pipeline.decode, &lease,
                           std::chrono::steady_clock::now() + std::chrono::milliseconds(kDrawDecodeWaitMs)));
      if (!decoded.ok()) return ErrorResponse(409, "conflict", "the photo's file cannot be read");
      // A bad box (outside, zero area, too small) is an InvalidArgument: 400 saying which.
      auto face = DescribeBox(engine, *decoded, box);
      if (!face.ok()) return StatusResponse(face.status());
      std::lock_guard lock(ctx.catalog_mu);
      auto face_id = ctx.catalog->AddDrawnFace(id, *face);
      if (!face_id.ok()) return StatusResponse(face_id.status());
      ctx.known->Invalidate();
      auto stored = ctx.catalog->GetFace(*face_id);
      if (!stored.ok()) return StatusResponse(stored.status());
      return JsonResponse(201, PhotoFaceJson(*ctx.catalog, *stored));
    });
  });
}

}  // namespace facetag::service
