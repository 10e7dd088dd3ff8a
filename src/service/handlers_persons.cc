// The person routes: create, list and search, read, rename or hide, delete (with everything of
// theirs the service keeps), merge, and a person's faces, photos and companions.
#include <algorithm>

#include "facetag/people.h"
#include "facetag/review.h"
#include "service/catalog_json.h"
#include "service/catalog_routes.h"
#include "service/context.h"
#include "service/request_params.h"

namespace facetag::service {

using json = nlohmann::json;

namespace {

HttpResponse PersonAnswer(Catalog& catalog, int64_t id, int status = 200) {
  auto p = PersonById(catalog, id);
  if (!p.ok()) return StatusResponse(p.status());
  return JsonResponse(status, *p);
}

// The {id} of a person who exists; NotFound (404) otherwise.
Result<int64_t> ExistingPersonId(Catalog& c, const HttpRequest& req) {
  const auto id = IdParam(req);
  if (!id) return NotFound("no such person");
  FACETAG_RETURN_IF_ERROR(c.GetPerson(*id));
  return *id;
}

// GET /persons' query: hidden=1, q=, sort=, filter= (named=1 the older spelling of filter=named).
std::optional<PersonQuery> ParsePersonQuery(const HttpRequest& req, HttpResponse* error) {
  PersonQuery query;
  query.include_hidden = req.Query("hidden") == "1";
  query.text = req.Query("q");
  const std::string sort = req.Query("sort"), filter = req.Query("filter");
  if (!sort.empty()) {
    auto parsed = ParsePersonSort(sort);
    if (!parsed) {
      *error = ErrorResponse(400, "bad_request", "sort must be faces, name or recent");
      return std::nullopt;
    }
    query.sort = *parsed;
  }
  if (!filter.empty()) {
    auto parsed = ParsePersonFilter(filter);
    if (!parsed) {
      *error = ErrorResponse(400, "bad_request", "filter must be all, named or unnamed");
      return std::nullopt;
    }
    query.filter = *parsed;
  } else if (req.Query("named") == "1") {
    query.filter = PersonFilter::kNamed;
  }
  return query;
}

// PATCH /persons/{id}: everything is checked before anything is saved, so a 400 or 409 leaves
// the person as it was.
HttpResponse UpdatePerson(Catalog& c, int64_t id, const json& body) {
  const bool has_name = body.contains("name"), has_hidden = body.contains("hidden");
  if (has_name && !body["name"].is_string())
    return ErrorResponse(400, "bad_request", "\"name\" must be a string");
  if (has_hidden && !body["hidden"].is_boolean())
    return ErrorResponse(400, "bad_request", "\"hidden\" must be true or false");
  if (has_name) {
    if (auto s = ValidatePersonName(body["name"].get<std::string>()); !s.ok()) return StatusResponse(s);
  }
  if (auto p = c.GetPerson(id); !p.ok()) return StatusResponse(p.status());
  // Someone else has the name (case-insensitively): most likely the same person, so the client
  // is asked to merge; "duplicate_ok": true keeps two people of one name.
  if (has_name && !(body.contains("duplicate_ok") && body["duplicate_ok"] == true)) {
    auto taken = NameTakenBy(c, body["name"].get<std::string>(), id);
    if (!taken.ok()) return StatusResponse(taken.status());
    if (*taken) return NameTakenResponse(**taken);
  }
  if (has_name) {
    if (auto s = c.NamePerson(id, body["name"]); !s.ok()) return StatusResponse(s);
  }
  if (has_hidden) {
    if (auto s = c.HidePerson(id, body["hidden"]); !s.ok()) return StatusResponse(s);
  }
  return PersonAnswer(c, id);
}

// POST /persons/{id}/merge: {"ids": [...]} merged into {id}.
HttpResponse MergeInto(Catalog& c, int64_t id, const json& body) {
  if (!body.contains("ids") || !body["ids"].is_array())
    return ErrorResponse(400, "bad_request", "\"ids\" (an array of person ids) is required");
  if (body["ids"].empty()) return ErrorResponse(400, "bad_request", "\"ids\" names nobody to merge");
  std::vector<int64_t> ids = {id};
  for (const auto& v : body["ids"]) {
    auto other = JsonId(v);
    if (!other) return ErrorResponse(400, "bad_request", "\"ids\" must hold integers");
    if (*other == id) return ErrorResponse(400, "bad_request", "a person cannot be merged into itself");
    ids.push_back(*other);
  }
  if (auto s = c.MergePersons(ids); !s.ok()) return StatusResponse(s);
  return PersonAnswer(c, id);
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

void AddPersonRoutes(Context& ctx, Router& router) {
  router.Add("POST", "/api/v1/persons",
             CatalogWriteRoute(ctx, [](Catalog& c, const HttpRequest&, const json& body) {
               if (!body.contains("name") || !body["name"].is_string())
                 return ErrorResponse(400, "bad_request", "\"name\" (a string) is required");
               auto id = c.CreatePerson(body["name"].get<std::string>());
               if (!id.ok()) return StatusResponse(id.status());
               return PersonAnswer(c, *id, 201);
             }));
  router.Add("GET", "/api/v1/persons", CatalogRoute(ctx, [](Catalog& c, const HttpRequest& req) {
               HttpResponse error;
               const auto query = ParsePersonQuery(req, &error);
               if (!query) return error;
               auto found = c.FindPersons(*query);
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
             CatalogWriteRoute(ctx, [](Catalog& c, const HttpRequest& req, const json& body) {
               const auto id = IdParam(req);
               return id ? UpdatePerson(c, *id, body) : ErrorResponse(404, "not_found", "no such person");
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
  router.Add("POST", "/api/v1/persons/{id}/merge",
             CatalogWriteRoute(ctx, [](Catalog& c, const HttpRequest& req, const json& body) {
               const auto id = IdParam(req);
               return id ? MergeInto(c, *id, body) : ErrorResponse(404, "not_found", "no such person");
             }));
  router.Add("GET", "/api/v1/persons/{id}/faces", CatalogRoute(ctx, [](Catalog& c, const HttpRequest& req) {
               const auto id = ExistingPersonId(c, req);
               if (!id.ok()) return StatusResponse(id.status());
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
               const auto id = ExistingPersonId(c, req);
               if (!id.ok()) return StatusResponse(id.status());
               auto photos = c.PhotosWithAll({*id});
               if (!photos.ok()) return StatusResponse(photos.status());
               json out = json::array();
               for (const auto& photo : *photos) out.push_back(PhotoJson(c, photo));
               return JsonResponse(200, json{{"photos", out}});
             }));
  router.Add("GET", "/api/v1/persons/{id}/together",
             CatalogRoute(ctx, [](Catalog& c, const HttpRequest& req) {
               const auto id = ExistingPersonId(c, req);
               if (!id.ok()) return StatusResponse(id.status());
               auto together = c.Together(*id);
               if (!together.ok()) return StatusResponse(together.status());
               json out = json::array();
               for (const auto& comp : *together) {
                 auto p = PersonById(c, comp.person.id);
                 if (p.ok()) out.push_back({{"person", *p}, {"shared_photos", comp.shared_photos}});
               }
               return JsonResponse(200, json{{"companions", out}});
             }));
}

}  // namespace facetag::service
