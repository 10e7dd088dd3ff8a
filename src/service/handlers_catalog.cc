// The catalog routes: persons, photos and faces (corrections).
#include <algorithm>
#include <unordered_set>

#include "facetag/people.h"
#include "facetag/purge.h"
#include "facetag/review.h"
#include "service/context.h"

namespace facetag::service {

using json = nlohmann::json;

void WithCatalog(Context& ctx, Respond respond, std::function<HttpResponse(Catalog&)> fn) {
  boost::asio::post(ctx.blocking, [&ctx, respond = std::move(respond), fn = std::move(fn)] {
    HttpResponse response;
    try {
      std::lock_guard lock(ctx.catalog_mu);
      response = fn(*ctx.catalog);
    } catch (const std::exception&) {
      response = ErrorResponse(500, "internal", "internal error");
    }
    respond(std::move(response));
  });
}

std::optional<json> JsonBody(const HttpRequest& request, HttpResponse* error) {
  if (!request.json) {
    // The dispatcher parses every body sent as JSON; nothing here means it was not sent so.
    *error = ErrorResponse(415, "unsupported_media_type", "send Content-Type: application/json");
    return std::nullopt;
  }
  if (!request.json->is_object()) {
    *error = ErrorResponse(400, "bad_json", "the body is not a JSON object");
    return std::nullopt;
  }
  return *request.json;
}

std::optional<int64_t> DecimalId(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<int64_t> IdParam(const HttpRequest& request, const std::string& name) {
  auto it = request.params.find(name);
  if (it == request.params.end()) return std::nullopt;
  return DecimalId(it->second);
}

json BoxJson(const Box& b) { return json::array({b.x, b.y, b.width, b.height}); }

json PersonJson(const PersonSummary& p) {
  return {{"id", p.person.id},          {"name", p.person.name},        {"hidden", p.person.hidden},
          {"face_count", p.face_count}, {"photo_count", p.photo_count}, {"sample_face_id", p.sample_face_id}};
}

Result<json> PersonById(Catalog& catalog, int64_t id) {
  auto all = catalog.ListPersons(true);
  FACETAG_RETURN_IF_ERROR(all.status());
  for (const auto& p : *all)
    if (p.person.id == id) return PersonJson(p);
  // A person with no faces is not in the summary list.
  auto person = catalog.GetPerson(id);
  FACETAG_RETURN_IF_ERROR(person.status());
  PersonSummary s;
  s.person = *person;
  return PersonJson(s);
}

namespace {

constexpr int64_t kMaxPageSize = 1000;
constexpr int64_t kMaxOffset = int64_t{1} << 31;

// A paging parameter: digits only, at most `max`; nullopt for anything else (-1, 1e3, 2^64-1).
std::optional<size_t> CountQuery(const HttpRequest& req, const std::string& name, size_t fallback,
                                 int64_t max) {
  auto it = req.query.find(name);
  if (it == req.query.end()) return fallback;
  const auto v = DecimalId(it->second);
  if (!v || *v > max) return std::nullopt;
  return static_cast<size_t>(*v);
}

HttpResponse PersonAnswer(Catalog& catalog, int64_t id, int status = 200) {
  auto p = PersonById(catalog, id);
  if (!p.ok()) return StatusResponse(p.status());
  return JsonResponse(status, *p);
}

json PhotoSummary(Catalog& catalog, const PhotoRecord& photo) {
  auto faces = catalog.FacesOfPhoto(photo.id);
  return {{"id", photo.id},
          {"path", photo.path},
          {"width", photo.width},
          {"height", photo.height},
          {"status", PhotoStatusName(photo.status)},
          {"face_count", faces.ok() ? faces->size() : 0}};
}

HttpResponse FaceAnswer(Catalog& catalog, int64_t face_id) {
  auto f = catalog.GetFace(face_id);
  if (!f.ok()) return StatusResponse(f.status());
  json person = nullptr;
  if (f->person_id) {
    auto p = catalog.GetPerson(f->person_id);
    if (p.ok()) person = {{"id", p->id}, {"name", p->name}};
  }
  return JsonResponse(
      200, json{{"id", f->id}, {"photo_id", f->photo_id}, {"box", BoxJson(f->face.box)}, {"person", person}});
}

// A JSON handler: parses the body, then runs `fn` with the catalog.
Handler JsonBodyRoute(Context& ctx,
                      std::function<HttpResponse(Catalog&, const HttpRequest&, const json&)> fn) {
  return [&ctx, fn](HttpRequest& req, Respond respond) {
    HttpResponse error;
    auto body = JsonBody(req, &error);
    if (!body) return respond(error);
    WithCatalog(ctx, respond, [&ctx, fn, req, body = *body](Catalog& c) {
      HttpResponse r = fn(c, req, body);
      ctx.known->Invalidate();
      return r;
    });
  };
}

Handler CatalogRoute(Context& ctx, std::function<HttpResponse(Catalog&, const HttpRequest&)> fn) {
  return [&ctx, fn](HttpRequest& req, Respond respond) {
    WithCatalog(ctx, respond, [fn, req](Catalog& c) { return fn(c, req); });
  };
}

std::optional<int64_t> JsonId(const json& j) {
  if (!j.is_number_integer()) return std::nullopt;
  return j.get<int64_t>();
}

// Deletes the person and everything of theirs the service keeps: their faces (the catalog), the
// thumbnails cached for those faces, and the photos uploaded to register them once no face in
// them belongs to anyone any more (the catalog row and the file under uploads/).
Status DeletePersonEverywhere(Context& ctx, Catalog& c, int64_t id) {
  FACETAG_RETURN_IF_ERROR(c.GetPerson(id));
  auto photos = c.PhotosWithAll({id});
  FACETAG_RETURN_IF_ERROR(photos.status());
  std::vector<int64_t> face_ids;
  for (const auto& photo : *photos) {
    auto faces = c.FacesOfPhoto(photo.id);
    FACETAG_RETURN_IF_ERROR(faces.status());
    for (const auto& f : *faces)
      if (f.person_id == id) face_ids.push_back(f.id);
  }
  FACETAG_RETURN_IF_ERROR(c.DeletePerson(id));
  ctx.thumbnails.EraseFaces(face_ids);
  std::error_code ec;
  for (const auto& photo : *photos) {
    // ctx.uploads is absolute, as are the paths Register stores under it.
    const auto rel = std::filesystem::path(photo.path).lexically_relative(ctx.uploads);
    if (rel.empty() || *rel.begin() == ".." || photo.content_hash.empty()) continue;
    auto left = c.FacesOfPhoto(photo.id);
    FACETAG_RETURN_IF_ERROR(left.status());
    if (std::any_of(left->begin(), left->end(), [](const FaceRecord& f) { return f.person_id != 0; }))
      continue;  // someone else was registered from the same upload
    FACETAG_RETURN_IF_ERROR(c.ForgetPhoto(photo.id));
    // Uploads are named <sha256>.<format>: every copy of this content goes.
    for (const auto& entry : std::filesystem::directory_iterator(ctx.uploads, ec)) {
      if (entry.path().stem() == photo.content_hash) std::filesystem::remove(entry.path(), ec);
    }
  }
  return Status::Ok();
}

}  // namespace

void AddCatalogRoutes(Context& ctx, Router& router) {
  router.Add("POST", "/api/v1/persons",
             JsonBodyRoute(ctx, [](Catalog& c, const HttpRequest&, const json& body) {
               if (!body.contains("name") || !body["name"].is_string())
                 return ErrorResponse(400, "bad_request", "\"name\" (a string) is required");
               auto id = c.CreatePerson(body["name"].get<std::string>());
               if (!id.ok()) return StatusResponse(id.status());
               return PersonAnswer(c, *id, 201);
             }));
  router.Add("GET", "/api/v1/persons", CatalogRoute(ctx, [](Catalog& c, const HttpRequest& req) {
               PersonQuery query;
               query.include_hidden = req.Query("hidden") == "1";
               query.text = req.Query("q");
               const std::string sort = req.Query("sort"), filter = req.Query("filter");
               if (!sort.empty()) {
                 auto parsed = ParsePersonSort(sort);
                 if (!parsed) return ErrorResponse(400, "bad_request", "sort must be faces, name or recent");
                 query.sort = *parsed;
               }
               if (!filter.empty()) {
                 auto parsed = ParsePersonFilter(filter);
                 if (!parsed)
                   return ErrorResponse(400, "bad_request", "filter must be all, named or unnamed");
                 query.filter = *parsed;
               } else if (req.Query("named") == "1") {  // the older spelling of filter=named
                 query.filter = PersonFilter::kNamed;
               }
               auto found = c.FindPersons(query);
               if (!found.ok()) return StatusResponse(found.status());
               json persons = json::array();
               for (const auto& p : *found) persons.push_back(PersonJson(p));
               return JsonResponse(200, json{{"persons", persons}});
             }));
  router.Add("GET", "/api/v1/persons/{id}", CatalogRoute(ctx, [](Catalog& c, const HttpRequest& req) {
               const auto id = IdParam(req);
               return id ? PersonAnswer(c, *id) : ErrorResponse(404, "not_found", "no such person");
             }));
  router.Add("PATCH", "/api/v1/persons/{id}",
             JsonBodyRoute(ctx, [](Catalog& c, const HttpRequest& req, const json& body) {
               const auto id = IdParam(req);
               if (!id) return ErrorResponse(404, "not_found", "no such person");
               // Everything is checked before anything is saved: a 400 leaves the person as it was.
               const bool has_name = body.contains("name"), has_hidden = body.contains("hidden");
               if (has_name && !body["name"].is_string())
                 return ErrorResponse(400, "bad_request", "\"name\" must be a string");
               if (has_hidden && !body["hidden"].is_boolean())
                 return ErrorResponse(400, "bad_request", "\"hidden\" must be true or false");
               if (has_name) {
                 if (auto s = ValidatePersonName(body["name"].get<std::string>()); !s.ok())
                   return StatusResponse(s);
               }
               if (auto p = c.GetPerson(*id); !p.ok()) return StatusResponse(p.status());
               // Someone else has the name (case-insensitively): most likely the same person, so
               // the client is asked to merge; "duplicate_ok": true keeps two people of one name.
               if (has_name && !(body.contains("duplicate_ok") && body["duplicate_ok"] == true)) {
                 auto taken = NameTakenBy(c, body["name"].get<std::string>(), *id);
                 if (!taken.ok()) return StatusResponse(taken.status());
                 if (*taken) return NameTakenResponse(**taken);
               }
               if (has_name) {
                 if (auto s = c.NamePerson(*id, body["name"]); !s.ok()) return StatusResponse(s);
               }
               if (has_hidden) {
                 if (auto s = c.HidePerson(*id, body["hidden"]); !s.ok()) return StatusResponse(s);
               }
               return PersonAnswer(c, *id);
             }));
  router.Add("DELETE", "/api/v1/persons/{id}", [&ctx](HttpRequest& req, Respond respond) {
    WithCatalog(ctx, respond, [&ctx, req](Catalog& c) {
      const auto id = IdParam(req);
      if (!id) return ErrorResponse(404, "not_found", "no such person");
      if (auto s = DeletePersonEverywhere(ctx, c, *id); !s.ok()) return StatusResponse(s);
      ctx.known->Invalidate();
      HttpResponse r;
      r.status = 204;
      return r;
    });
  });
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
  router.Add("POST", "/api/v1/persons/{id}/merge",
             JsonBodyRoute(ctx, [](Catalog& c, const HttpRequest& req, const json& body) {
               const auto id = IdParam(req);
               if (!id) return ErrorResponse(404, "not_found", "no such person");
               if (!body.contains("ids") || !body["ids"].is_array())
                 return ErrorResponse(400, "bad_request", "\"ids\" (an array of person ids) is required");
               if (body["ids"].empty())
                 return ErrorResponse(400, "bad_request", "\"ids\" names nobody to merge");
               std::vector<int64_t> ids = {*id};
               for (const auto& v : body["ids"]) {
                 auto other = JsonId(v);
                 if (!other) return ErrorResponse(400, "bad_request", "\"ids\" must hold integers");
                 if (*other == *id)
                   return ErrorResponse(400, "bad_request", "a person cannot be merged into itself");
                 ids.push_back(*other);
               }
               if (auto s = c.MergePersons(ids); !s.ok()) return StatusResponse(s);
               return PersonAnswer(c, *id);
             }));
  router.Add("GET", "/api/v1/persons/{id}/faces", CatalogRoute(ctx, [](Catalog& c, const HttpRequest& req) {
               const auto id = IdParam(req);
               if (!id) return ErrorResponse(404, "not_found", "no such person");
               if (auto p = c.GetPerson(*id); !p.ok()) return StatusResponse(p.status());
               auto photos = c.PhotosWithAll({*id});
               if (!photos.ok()) return StatusResponse(photos.status());
               json faces = json::array();
               for (const auto& photo : *photos) {
                 auto fs = c.FacesOfPhoto(photo.id);
                 if (!fs.ok()) continue;
                 for (const auto& f : *fs)
                   if (f.person_id == *id)
                     faces.push_back({{"id", f.id}, {"photo_id", f.photo_id}, {"box", BoxJson(f.face.box)}});
               }
               return JsonResponse(200, json{{"faces", faces}});
             }));
  router.Add("GET", "/api/v1/persons/{id}/photos", CatalogRoute(ctx, [](Catalog& c, const HttpRequest& req) {
               const auto id = IdParam(req);
               if (!id) return ErrorResponse(404, "not_found", "no such person");
               if (auto p = c.GetPerson(*id); !p.ok()) return StatusResponse(p.status());
               auto photos = c.PhotosWithAll({*id});
               if (!photos.ok()) return StatusResponse(photos.status());
               json out = json::array();
               for (const auto& photo : *photos) out.push_back(PhotoSummary(c, photo));
               return JsonResponse(200, json{{"photos", out}});
             }));
  router.Add("GET", "/api/v1/persons/{id}/together",
             CatalogRoute(ctx, [](Catalog& c, const HttpRequest& req) {
               const auto id = IdParam(req);
               if (!id) return ErrorResponse(404, "not_found", "no such person");
               if (auto p = c.GetPerson(*id); !p.ok()) return StatusResponse(p.status());
               auto together = c.Together(*id);
               if (!together.ok()) return StatusResponse(together.status());
               json out = json::array();
               for (const auto& comp : *together) {
                 auto p = PersonById(c, comp.person.id);
                 if (p.ok()) out.push_back({{"person", *p}, {"shared_photos", comp.shared_photos}});
               }
               return JsonResponse(200, json{{"companions", out}});
             }));
  router.Add("GET", "/api/v1/photos", CatalogRoute(ctx, [](Catalog& c, const HttpRequest& req) {
               const std::string sort = req.Query("sort");
               if (sort == "taken") return TimelineAnswer(c, req);
               if (!sort.empty() && sort != "path")
                 return ErrorResponse(400, "bad_request", "sort must be taken or path");
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
               const auto limit = CountQuery(req, "limit", 100, kMaxPageSize);
               const auto offset = CountQuery(req, "offset", 0, kMaxOffset);
               if (!limit || !offset)
                 return ErrorResponse(400, "bad_request",
                                      "limit must be 0.." + std::to_string(kMaxPageSize) + " and offset 0.." +
                                          std::to_string(kMaxOffset));
               json out = json::array();
               for (size_t i = *offset; i < photos.size() && i < *offset + *limit; ++i)
                 out.push_back(PhotoSummary(c, photos[i]));
               return JsonResponse(200, json{{"photos", out}, {"total", photos.size()}});
             }));
  router.Add("GET", "/api/v1/photos/{id}", CatalogRoute(ctx, [](Catalog& c, const HttpRequest& req) {
               const auto id = IdParam(req);
               if (!id) return ErrorResponse(404, "not_found", "no such photo");
               auto photo = c.GetPhoto(*id);
               if (!photo.ok()) return StatusResponse(photo.status());
               json j = PhotoSummary(c, *photo);
               if (auto entry = c.TimelineEntry(*id); entry.ok()) j.update(TimelineFields(*entry));
               json faces = json::array();
               auto fs = c.FacesOfPhoto(*id);
               if (fs.ok()) {
                 for (const auto& f : *fs) faces.push_back(PhotoFaceJson(c, f));
               }
               j["faces"] = faces;
               // What facetag annotate said about this content, if anything.
               j["annotation"] = nullptr;
               if (auto a = c.GetAnnotation(*id);
                   a.ok() && a->has_value() && (*a)->content_hash == photo->content_hash)
                 j["annotation"] = {{"caption", (*a)->caption},
                                    {"tags", (*a)->tags},
                                    {"model", (*a)->model},
                                    {"annotated_at", (*a)->annotated_at}};
               return JsonResponse(200, j);
             }));
  router.Add("POST", "/api/v1/faces/{id}/move",
             JsonBodyRoute(ctx, [](Catalog& c, const HttpRequest& req, const json& body) {
               const auto id = IdParam(req);
               if (!id) return ErrorResponse(404, "not_found", "no such face");
               if (!body.contains("person"))
                 return ErrorResponse(400, "bad_request", "\"person\" is required");
               if (body["person"].is_null()) {
                 if (auto r = c.MoveFaceToNewPerson(*id); !r.ok()) return StatusResponse(r.status());
               } else {
                 auto person = JsonId(body["person"]);
                 if (!person) return ErrorResponse(400, "bad_request", "\"person\" must be an id or null");
                 if (auto s = c.MoveFace(*id, *person); !s.ok()) return StatusResponse(s);
               }
               return FaceAnswer(c, *id);
             }));
  router.Add("POST", "/api/v1/faces/{id}/reject",
             JsonBodyRoute(ctx, [](Catalog& c, const HttpRequest& req, const json& body) {
               const auto id = IdParam(req);
               if (!id) return ErrorResponse(404, "not_found", "no such face");
               auto person = body.contains("person") ? JsonId(body["person"]) : std::nullopt;
               if (!person) return ErrorResponse(400, "bad_request", "\"person\" (an id) is required");
               if (auto s = c.RejectFace(*id, *person); !s.ok()) return StatusResponse(s);
               return FaceAnswer(c, *id);
             }));
  router.Add("POST", "/api/v1/faces/{id}/unassign", [&ctx](HttpRequest& req, Respond respond) {
    WithCatalog(ctx, respond, [&ctx, req](Catalog& c) {
      const auto id = IdParam(req);
      if (!id) return ErrorResponse(404, "not_found", "no such face");
      if (auto s = c.UnassignFace(*id); !s.ok()) return StatusResponse(s);
      ctx.known->Invalidate();
      return FaceAnswer(c, *id);
    });
  });
}

}  // namespace facetag::service
