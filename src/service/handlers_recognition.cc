// The recognition routes: recognize, recognize/batch, verify, detect and registering faces of a
// person. The image work runs on the engines' bounded queue; a full queue answers 503.
#include <chrono>
#include <cmath>
#include <fstream>

#include "common/private_files.h"
#include "facetag/events.h"
#include "facetag/image.h"
#include "library/file_stat.h"
#include "pipeline/face_steps.h"
#include "service/catalog_json.h"
#include "service/context.h"
#include "service/multipart.h"
#include "service/request_params.h"

namespace facetag::service {
namespace {

using json = nlohmann::json;

struct ImageInput {
  std::string field;
  std::string_view bytes;
};

bool IsImageType(const std::string& content_type) { return content_type.rfind("image/", 0) == 0; }

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The images of a request: the raw body (image/*) or multipart fields. Views into request.body.
std::optional<std::vector<ImageInput>> Images(const HttpRequest& request, HttpResponse* error) {
  const std::string type = Lower(request.Header("content-type"));
  if (IsImageType(type)) {
    if (request.body.empty()) {
      *error = ErrorResponse(400, "bad_image", "the request body is empty");
      return std::nullopt;
    }
    return std::vector<ImageInput>{{"image", request.body}};
  }
  if (type.rfind("multipart/form-data", 0) == 0) {
    auto parts = ParseMultipart(request.Header("content-type"), request.body);
    if (!parts.ok()) {
      *error = ErrorResponse(400, "bad_request", parts.status().message());
      return std::nullopt;
    }
    std::vector<ImageInput> images;
    for (const auto& p : *parts) images.push_back({p.name, p.body});
    return images;
  }
  *error = ErrorResponse(415, "unsupported_media_type",
                         "send the image as the body with Content-Type image/..., or as multipart/form-data");
  return std::nullopt;
}

DecodeOptions DecodeFor(const Context& ctx) {
  DecodeOptions d = ctx.options.pipeline.decode;
  d.max_file_bytes = static_cast<uint64_t>(ctx.options.max_body_bytes);
  d.max_decoded_pixels = ctx.options.max_decoded_pixels;
  return d;
}

// Decodes and analyses one image on an engine.
Result<std::pair<DecodedImage, std::vector<Face>>> Analyze(Context& ctx, FaceEngine& engine,
                                                           std::string_view bytes, bool describe) {
  // The decoded pixels count against the service's decode budget until the nets are done with
  // them; they are dropped here, before the answer is built (callers need the sizes only).
  std::optional<PixelBudget::Lease> lease;
  auto decoded =
      DecodeImage(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()),
                  WithDecodeBudget(ctx, DecodeFor(ctx), &lease,
                                   std::chrono::steady_clock::now() +
                                       std::chrono::milliseconds(ctx.options.request_timeout_ms)));
  if (!decoded.ok()) return decoded.status();
  auto faces = AnalyzeDecoded(engine, *decoded, describe);
  decoded->image = Image{};
  lease.reset();
  if (!faces.ok()) return faces.status();
  ctx.metrics.Add("facetag_faces_detected_total", "", static_cast<double>(faces->size()));
  if (describe) ctx.descriptors += static_cast<int64_t>(faces->size());
  return std::make_pair(std::move(*decoded), std::move(*faces));
}

}  // namespace

void Submit(Context& ctx, HttpRequest& request, Respond respond,
            std::function<HttpResponse(FaceEngine&, const HttpRequest&)> work) {
  auto held = std::make_shared<HttpRequest>(std::move(request));
  const auto deadline = WorkQueue::Clock::now() + std::chrono::milliseconds(ctx.options.request_timeout_ms);
  auto job = [&ctx, held, respond, work = std::move(work)](FaceEngine& engine, bool expired) {
    if (expired) {
      ctx.metrics.Add("facetag_rejected_requests_total", "reason=\"timeout\"");
      return respond(ErrorResponse(503, "timeout", "the request waited too long for the engine"));
    }
    try {
      respond(work(engine, *held));
    } catch (const std::exception&) {
      respond(ErrorResponse(500, "internal", "internal error"));
    }
  };
  if (!ctx.queue->TrySubmit(std::move(job), deadline)) {
    ctx.metrics.Add("facetag_rejected_requests_total", "reason=\"overloaded\"");
    HttpResponse busy = ErrorResponse(503, "overloaded", "the server is busy; retry later");
    busy.delay_ms = ctx.options.overload_delay_ms;
    respond(std::move(busy));
  }
}

namespace {

// The request's source (a camera, a door): the query parameter `source`, else the header
// X-Facetag-Source; empty when neither is given. nullopt (and a 400 in `error`) when invalid.
std::optional<std::string> RequestSource(const HttpRequest& req, HttpResponse* error) {
  auto it = req.query.find("source");
  std::string source = it != req.query.end() ? it->second : req.Header("x-facetag-source");
  if (Status s = ValidateEventSource(source); !s.ok()) {
    *error = ErrorResponse(400, "bad_request", s.message());
    return std::nullopt;
  }
  return source;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One event per face, when the server records them.
void RecordEvents(Context& ctx, const std::vector<Identification>& named, const std::string& source,
                  const std::string& served_by) {
  if (!ctx.events || named.empty()) return;
  const int64_t now = NowMs();
  std::vector<RecognitionEvent> events(named.size());
  for (size_t i = 0; i < named.size(); ++i) {
    const Identification& n = named[i];
    RecognitionEvent& e = events[i];
    e.at_ms = now;
    e.person_id = n.person_id;
    if (n.person_id) {
      e.distance = n.distance;
    } else if (std::isfinite(n.nearest)) {
      e.distance = n.nearest;
    }
    e.source = source;
    e.served_by = served_by;
  }
  ctx.events->Record(std::move(events));
}

// The recognize answer for faces found in an image of width x height by `served_by`.
json NameFaces(Context& ctx, int width, int height, const std::vector<Face>& faces, const std::string& source,
               const std::string& served_by, HttpResponse* error) {
  std::vector<Embedding> embeddings;
  for (const Face& f : faces) embeddings.push_back(f.embedding);
  auto named = ctx.known->Identify(embeddings);
  if (!named.ok()) {
    *error = StatusResponse(named.status());
    return nullptr;
  }
  ctx.metrics.Add("facetag_recognitions_total", "");
  ++ctx.recognitions;
  RecordEvents(ctx, *named, source, served_by);
  json out_faces = json::array();
  for (size_t i = 0; i < faces.size(); ++i) {
    const Identification& n = (*named)[i];
    out_faces.push_back(
        {{"box", BoxJson(faces[i].box)},
         {"score", faces[i].score},
         {"person", n.person_id ? json{{"id", n.person_id}, {"name", n.name}} : json(nullptr)},
         {"distance", n.person_id ? json(n.distance) : json(nullptr)}});
  }
  return {{"width", width}, {"height", height}, {"faces", out_faces}, {"served_by", served_by}};
}

json RecognizeOne(Context& ctx, FaceEngine& engine, std::string_view bytes, const std::string& source,
                  HttpResponse* error) {
  auto analysed = Analyze(ctx, engine, bytes, true);
  if (!analysed.ok()) {
    *error = ImageErrorResponse(analysed.status());
    return nullptr;
  }
  auto& [decoded, faces] = *analysed;
  return NameFaces(ctx, decoded.full_width, decoded.full_height, faces, source, ctx.node_name, error);
}

// The cluster's workers analyse the image when some are up (the head's hook). A failed remote
// answer (no worker left, timeout, an image the worker could not read) is retried here: the
// local engine either answers or gives the image's own error.
json RecognizeRemoteOrHere(Context& ctx, FaceEngine& engine, std::string_view bytes,
                           const std::string& source, HttpResponse* error) {
  RemoteAnalyzer* remote = ctx.hooks.remote.get();
  if (remote != nullptr && remote->available()) {
    RemoteAnalysis answer = remote->Analyze(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
    if (answer.delivery.ok() && answer.faces.status.ok()) {
      ctx.metrics.Add("facetag_remote_recognitions_total", "");
      ctx.metrics.Add("facetag_faces_detected_total", "", static_cast<double>(answer.faces.faces.size()));
      // A worker's name goes into answers and events: one that is not a short printable text
      // (a worker of another version, a mistyped --name) is called just "worker".
      const std::string worker =
          !answer.node.empty() && ValidateEventSource(answer.node).ok() ? answer.node : std::string("worker");
      return NameFaces(ctx, answer.faces.width, answer.faces.height, answer.faces.faces, source, worker,
                       error);
    }
    ctx.metrics.Add("facetag_remote_failures_total", "");
  }
  return RecognizeOne(ctx, engine, bytes, source, error);
}

size_t Largest(const std::vector<Face>& faces) {
  size_t best = 0;
  for (size_t i = 1; i < faces.size(); ++i)
    if (faces[i].box.area() > faces[best].box.area()) best = i;
  return best;
}

// The faces the library's analysis found in `bytes` when that content is catalogued (an indexed
// photo uploaded to register someone): registering then picks from the faces the catalog has,
// not from what the request's quicker detector makes of it. Empty for content not catalogued.
Result<std::vector<Face>> CataloguedFaces(Context& ctx, std::string_view bytes) {
  const std::string hash =
      HashBytes(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  std::lock_guard lock(ctx.catalog_mu);
  auto photo = ctx.catalog->FindByHash(hash);
  FACETAG_RETURN_IF_ERROR(photo.status());
  std::vector<Face> faces;
  if (!photo->has_value() || (*photo)->status == PhotoStatus::kFailed) return faces;
  auto stored = ctx.catalog->FacesOfPhoto((*photo)->id);
  FACETAG_RETURN_IF_ERROR(stored.status());
  for (FaceRecord& r : *stored) faces.push_back(std::move(r.face));
  return faces;
}

// Stores an uploaded image under uploads/ and its chosen faces as the person's (user-assigned).
Result<json> Register(Context& ctx, int64_t person_id, std::string_view bytes, const DecodedImage& decoded,
                      std::vector<Face> faces) {
  std::lock_guard lock(ctx.catalog_mu);
  Catalog& catalog = *ctx.catalog;
  // The Result itself, not .status(): a reference into a destroyed temporary would dangle.
  FACETAG_RETURN_IF_ERROR(catalog.GetPerson(person_id));
  const auto span = std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  const std::string hash = HashBytes(span);
  std::error_code ec;
  FACETAG_RETURN_IF_ERROR(CreatePrivateDirectories(ctx.uploads));
  const auto path = ctx.uploads / (hash + "." + (decoded.format.empty() ? "img" : decoded.format));
  if (!std::filesystem::exists(path)) {
    const auto tmp = std::filesystem::path(path.string() + ".tmp");
    std::filesystem::remove(tmp, ec);  // a leftover of a crash may have another mode
    FACETAG_RETURN_IF_ERROR(CreatePrivateFile(tmp));
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) return IoError("cannot store the uploaded image");
    std::filesystem::rename(tmp, path, ec);
    if (ec) return IoError("cannot store the uploaded image");
  }
  auto stat = library::StatFile(path);
  FACETAG_RETURN_IF_ERROR(stat.status());
  PhotoInput input;
  input.path = path.string();
  input.stat = *stat;
  input.content_hash = hash;
  input.width = decoded.full_width;
  input.height = decoded.full_height;
  auto added = catalog.AddPhotoResult(input, faces);
  FACETAG_RETURN_IF_ERROR(added.status());
  auto stored = catalog.FacesOfPhoto(added->photo_id);
  FACETAG_RETURN_IF_ERROR(stored.status());
  json out = json::array();
  // Known content keeps the faces it had: register the ones matching what we chose. A chosen
  // face the earlier analysis did not find (another detector, another scale, an index that
  // found nobody) is added to the photo: a registration never silently registers nothing.
  for (const Face& f : faces) {
    const FaceRecord* match = nullptr;
    for (const FaceRecord& r : *stored) {
      if (IntersectionOverUnion(r.face.box, f.box) >= 0.5f) {
        match = &r;
        break;
      }
    }
    if (match != nullptr) {
      FACETAG_RETURN_IF_ERROR(catalog.MoveFace(match->id, person_id));
      out.push_back({{"id", match->id}, {"box", BoxJson(match->face.box)}});
    } else {
      auto added_face = catalog.AddFaceForPerson(added->photo_id, f, person_id);
      FACETAG_RETURN_IF_ERROR(added_face.status());
      out.push_back({{"id", *added_face}, {"box", BoxJson(f.box)}});
    }
  }
  ctx.known->Invalidate();
  return json{{"faces", out}};
}

// Routes that take exactly one image: the request is checked before it queues (a clear 400 at
// once), and `work` gets the image's bytes on an engine.
void SubmitOneImage(Context& ctx, HttpRequest& req, Respond respond,
                    std::function<HttpResponse(FaceEngine&, std::string_view image)> work) {
  HttpResponse error;
  auto images = Images(req, &error);
  if (!images) return respond(error);
  if (images->size() != 1) return respond(ErrorResponse(400, "bad_request", "send exactly one image"));
  Submit(ctx, req, std::move(respond), [work = std::move(work)](FaceEngine& engine, const HttpRequest& r) {
    HttpResponse err;
    auto imgs = Images(r, &err);
    if (!imgs) return err;
    return work(engine, (*imgs)[0].bytes);
  });
}

HttpResponse NoFace() { return ErrorResponse(422, "no_face", "no face was found in the image"); }

}  // namespace

void AddRecognitionRoutes(Context& ctx, Router& router) {
  router.Add("POST", "/api/v1/recognize", [&ctx](HttpRequest& req, Respond respond) {
    HttpResponse error;
    auto source = RequestSource(req, &error);
    if (!source) return respond(error);
    SubmitOneImage(ctx, req, respond, [&ctx, source = *source](FaceEngine& engine, std::string_view image) {
      HttpResponse err;
      json out = RecognizeRemoteOrHere(ctx, engine, image, source, &err);
      return out.is_null() ? err : JsonResponse(200, out);
    });
  });

  router.Add("POST", "/api/v1/recognize/batch", [&ctx](HttpRequest& req, Respond respond) {
    HttpResponse error;
    auto source = RequestSource(req, &error);
    if (!source) return respond(error);
    auto images = Images(req, &error);
    if (!images) return respond(error);
    if (images->empty()) return respond(ErrorResponse(400, "bad_request", "no image fields"));
    Submit(ctx, req, respond, [&ctx, source = *source](FaceEngine& engine, const HttpRequest& r) {
      HttpResponse err;
      auto imgs = Images(r, &err);
      json results = json::array();
      for (const auto& img : *imgs) {
        if (img.field != "image") continue;
        HttpResponse one_error;
        json one = RecognizeOne(ctx, engine, img.bytes, source, &one_error);
        results.push_back(one.is_null() ? json::parse(one_error.body) : one);
      }
      ctx.metrics.Observe("facetag_batch_size", "", static_cast<double>(results.size()));
      return JsonResponse(200, json{{"results", results}, {"served_by", ctx.node_name}});
    });
  });

  router.Add("POST", "/api/v1/detect", [&ctx](HttpRequest& req, Respond respond) {
    SubmitOneImage(ctx, req, respond, [&ctx](FaceEngine& engine, std::string_view image) {
      auto analysed = Analyze(ctx, engine, image, false);
      if (!analysed.ok()) return ImageErrorResponse(analysed.status());
      json faces = json::array();
      for (const Face& f : analysed->second) {
        json marks = json::array();
        for (const Point& p : f.landmarks) marks.push_back({p.x, p.y});
        faces.push_back({{"box", BoxJson(f.box)}, {"score", f.score}, {"landmarks", marks}});
      }
      return JsonResponse(200, json{{"width", analysed->first.full_width},
                                    {"height", analysed->first.full_height},
                                    {"faces", faces}});
    });
  });

  router.Add("POST", "/api/v1/verify", [&ctx](HttpRequest& req, Respond respond) {
    HttpResponse error;
    auto images = Images(req, &error);
    if (!images) return respond(error);
    Submit(ctx, req, respond, [&ctx](FaceEngine& engine, const HttpRequest& r) {
      HttpResponse err;
      auto imgs = Images(r, &err);
      std::optional<Embedding> a, b;
      for (const auto& img : *imgs) {
        if (img.field != "a" && img.field != "b") continue;
        auto analysed = Analyze(ctx, engine, img.bytes, true);
        if (!analysed.ok()) return ImageErrorResponse(analysed.status());
        if (analysed->second.empty()) return NoFace();
        (img.field == "a" ? a : b) = analysed->second[Largest(analysed->second)].embedding;
      }
      if (!a || !b) return ErrorResponse(400, "bad_request", "send multipart fields a and b");
      const float d = EmbeddingDistance(*a, *b);
      const float threshold = ctx.known->max_distance();
      return JsonResponse(200,
                          json{{"distance", d}, {"threshold", threshold}, {"same_person", d <= threshold}});
    });
  });

  router.Add("POST", "/api/v1/persons/{id}/faces", [&ctx](HttpRequest& req, Respond respond) {
    const auto id = IdParam(req);
    if (!id) return respond(ErrorResponse(404, "not_found", "no such person"));
    const bool all = req.Query("all") == "1";
    SubmitOneImage(ctx, req, respond, [&ctx, id, all](FaceEngine& engine, std::string_view image) {
      auto analysed = Analyze(ctx, engine, image, true);
      if (!analysed.ok()) return ImageErrorResponse(analysed.status());
      auto& faces = analysed->second;
      auto catalogued = CataloguedFaces(ctx, image);
      if (!catalogued.ok()) return StatusResponse(catalogued.status());
      if (!catalogued->empty()) faces = std::move(*catalogued);
      if (faces.empty()) return NoFace();
      if (!all) faces = {faces[Largest(faces)]};
      auto out = Register(ctx, *id, image, analysed->first, std::move(faces));
      if (!out.ok()) return StatusResponse(out.status());
      return JsonResponse(201, *out);
    });
  });
}

}  // namespace facetag::service
