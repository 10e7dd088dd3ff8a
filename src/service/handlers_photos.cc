// The photo routes: the list (by person, by caption and tag text, or the timeline), one photo
// with its faces as the photo page shows them (who, and how sure the grouping was), forgetting a
// photo (as `facetag purge` does), and faces the user draws where the detector found none
// (POST /photos/{id}/faces, described by the same engine as detected faces).
#include <cmath>
#include <unordered_set>

#include "facetag/engine.h"
#include "facetag/purge.h"
#include "service/catalog_json.h"
#include "service/catalog_routes.h"
#include "service/context.h"
#include "service/photo_timeline.h"
#include "service/request_params.h"

namespace facetag::service {

using json = nlohmann::json;

namespace {

constexpr int kDrawDecodeWaitMs = 3000;
constexpr int64_t kMaxPageSize = 1000;
constexpr int64_t kMaxOffset = int64_t{1} << 31;

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

// A face as the photo page shows it: its box, who, by whose choice, and how sure the grouping was.
json PhotoFaceJson(Catalog& catalog, const FaceRecord& f) {
  json distance = nullptr;
  // Only an automatic grouping has a "how sure": the user's own choice is certain.
  if (f.person_id && f.assignment == Assignment::kAuto) {
    auto d = catalog.DistanceToOwnPerson(f.id);
    if (d.ok() && d->has_value()) distance = **d;
  }
  return {{"id", f.id},
          {"box", BoxJson(f.face.box)},
          {"person", FaceOwnerJson(catalog, f.person_id)},
          {"assignment", f.assignment == Assignment::kUser ? "user" : "auto"},
          {"drawn", f.drawn},
          {"distance", distance}};
}

// GET /photos without sort=taken: the photos of every person named (person=, repeatable), of
// the caption and tag text (text=, best match first), or of the whole library; then one page.
HttpResponse PhotoListAnswer(Catalog& c, const HttpRequest& req) {
  std::vector<int64_t> persons;
  for (auto [it, end] = req.query.equal_range("person"); it != end; ++it) {
    const auto person = DecimalId(it->second);
    if (!person) return ErrorResponse(400, "bad_request", "person must be an id");
    persons.push_back(*person);
  }
  std::vector<PhotoRecord> photos;
  const std::string text = req.Query("text");
  if (!persons.empty()) {
    auto with = c.PhotosWithAll(persons);
    if (!with.ok()) return StatusResponse(with.status());
    photos = std::move(*with);
  }
  if (!text.empty()) {  // by caption and tags (facetag annotate), best match first
    auto found = c.SearchPhotosByText(text);
    if (!found.ok()) return StatusResponse(found.status());
    if (persons.empty()) {
      photos = std::move(*found);
    } else {
      std::unordered_set<int64_t> hits;
      for (const auto& p : *found) hits.insert(p.id);
      std::erase_if(photos, [&](const PhotoRecord& p) { return !hits.count(p.id); });
    }
  } else if (persons.empty()) {
    auto all = c.Export();
    if (!all.ok()) return StatusResponse(all.status());
    for (auto& p : all->photos) photos.push_back(std::move(p.photo));
  }
  const auto limit = BoundedQuery(req, "limit", 100, 0, kMaxPageSize);
  const auto offset = BoundedQuery(req, "offset", 0, 0, kMaxOffset);
  if (!limit || !offset)
    return ErrorResponse(
        400, "bad_request",
        "limit must be 0.." + std::to_string(kMaxPageSize) + " and offset 0.." + std::to_string(kMaxOffset));
  json out = json::array();
  for (size_t i = static_cast<size_t>(*offset);
       i < photos.size() && i < static_cast<size_t>(*offset + *limit); ++i)
    out.push_back(PhotoJson(c, photos[i]));
  return JsonResponse(200, json{{"photos", out}, {"total", photos.size()}});
}

// GET /photos/{id}: the photo, its timeline place, its faces and what facetag annotate said.
HttpResponse PhotoAnswer(Catalog& c, int64_t id) {
  auto photo = c.GetPhoto(id);
  if (!photo.ok()) return StatusResponse(photo.status());
  json j = PhotoJson(c, *photo);
  if (auto entry = c.TimelineEntry(id); entry.ok()) j.update(TimelineFields(*entry));
  json faces = json::array();
  auto fs = c.FacesOfPhoto(id);
  if (fs.ok()) {
    for (const auto& f : *fs) faces.push_back(PhotoFaceJson(c, f));
  }
  j["faces"] = faces;
  // What facetag annotate said about this content, if anything.
  j["annotation"] = nullptr;
  if (auto a = c.GetAnnotation(id); a.ok() && a->has_value() && (*a)->content_hash == photo->content_hash)
    j["annotation"] = {{"caption", (*a)->caption},
                       {"tags", (*a)->tags},
                       {"model", (*a)->model},
                       {"annotated_at", (*a)->annotated_at}};
  return JsonResponse(200, j);
}

}  // namespace

void AddPhotoRoutes(Context& ctx, Router& router) {
  router.Add("GET", "/api/v1/photos", CatalogRoute(ctx, [](Catalog& c, const HttpRequest& req) {
               const std::string sort = req.Query("sort");
               if (sort == "taken") return TimelineAnswer(c, req);
               if (!sort.empty() && sort != "path")
                 return ErrorResponse(400, "bad_request", "sort must be taken or path");
               return PhotoListAnswer(c, req);
             }));
  router.Add("GET", "/api/v1/photos/{id}", CatalogRoute(ctx, [](Catalog& c, const HttpRequest& req) {
               const auto id = IdParam(req);
               return id ? PhotoAnswer(c, *id) : ErrorResponse(404, "not_found", "no such photo");
             }));
  // The same call as `facetag purge` (facetag/purge.h); the service then drops what it cached.
  router.Add("DELETE", "/api/v1/photos/{id}", [&ctx](HttpRequest& req, Respond respond) {
    WithCatalog(ctx, respond, [&ctx, req](Catalog& c) {
      const auto id = IdParam(req);
      if (!id) return ErrorResponse(404, "not_found", "no such photo");
      auto report = PurgePhoto(c, *id);
      if (!report.ok()) return StatusResponse(report.status());
      ctx.thumbnails.EraseFaces(report->purged.face_ids);
      ctx.known->Invalidate();
      HttpResponse r;
      r.status = 204;
      return r;
    });
  });
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
