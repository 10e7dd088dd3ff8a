// The face corrections: move a face to a person (or a new one), reject it from a person, or
// leave it unassigned. Each answers the face as it now is.
#include "service/catalog_json.h"
#include "service/catalog_routes.h"
#include "service/context.h"
#include "service/request_params.h"

namespace facetag::service {

using json = nlohmann::json;

namespace {

HttpResponse FaceAnswer(Catalog& catalog, int64_t face_id) {
  auto f = catalog.GetFace(face_id);
  if (!f.ok()) return StatusResponse(f.status());
  return JsonResponse(200, json{{"id", f->id},
                                {"photo_id", f->photo_id},
                                {"box", BoxJson(f->face.box)},
                                {"person", FaceOwnerJson(catalog, f->person_id)}});
}

}  // namespace

void AddFaceRoutes(Context& ctx, Router& router) {
  router.Add("POST", "/api/v1/faces/{id}/move",
             CatalogWriteRoute(ctx, [](Catalog& c, const HttpRequest& req, const json& body) {
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
             CatalogWriteRoute(ctx, [](Catalog& c, const HttpRequest& req, const json& body) {
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
