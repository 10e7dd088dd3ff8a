// What every handler group shares: the catalog (one connection, behind a mutex: its calls are
// short), the engines' queue, the in-memory known faces, the metrics and the options.
#pragma once

#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "facetag/catalog.h"
#include "facetag/known_faces.h"
#include "facetag/service.h"
#include "service/api_error.h"
#include "service/descriptor_batcher.h"
#include "service/engine_metrics.h"
#include "service/event_recorder.h"
#include "service/metrics.h"
#include "service/pixel_budget.h"
#include "service/router.h"
#include "service/thumbnail_cache.h"
#include "service/work_queue.h"

namespace facetag::service {

struct IndexState {
  bool running = false;
  std::string phase = "idle";
  int64_t files_done = 0, files_total = 0, faces_found = 0;
  double files_per_s = 0, eta_s = 0;
  std::string error;
  nlohmann::json summary;
};

// The background re-grouping of every face (POST /api/v1/group).
struct RegroupState {
  bool running = false;
  std::string error;
  nlohmann::json report;  // once done: `facetag group --json`'s statistics
};

struct Context {
  ServeOptions options;
  ServiceHooks hooks;
  std::filesystem::path db;
  std::filesystem::path uploads;  // registered images: <db dir>/uploads/<sha256>.<ext>
  std::mutex catalog_mu;
  std::unique_ptr<Catalog> catalog;
  std::unique_ptr<KnownFaces> known;
  std::string node_name;  // served_by of the answers this node's engine gives
  // Null unless --record-events. Declared before the queue: engines still finishing a job at
  // shutdown record into it, and it stores what is pending when it goes.
  std::unique_ptr<EventRecorder> events;
  std::unique_ptr<DescriptorBatcher> batcher;     // declared before the queue: outlives its engines
  std::unique_ptr<EngineMetrics> engine_metrics;  // the engines' StageObserver; likewise
  std::unique_ptr<WorkQueue> queue;
  Metrics metrics;
  ThumbnailCache thumbnails;
  std::unique_ptr<PixelBudget> decode_budget;  // options.max_decoding_pixels
  boost::asio::thread_pool blocking{2};        // catalog work, off the IO threads
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::atomic<bool> ready{false};
  std::mutex index_mu;
  IndexState index;
  std::thread index_thread;
  // Under index_mu too: a re-grouping and an index never run at once.
  RegroupState regroup;
  std::thread regroup_thread;
  // Recognitions in the last window, for /status.
  std::atomic<int64_t> recognitions{0}, descriptors{0};
};

// `decode` with its reserve_pixels hook taking pixels from ctx.decode_budget into `*lease`
// (waiting until `deadline` at most; then the decode fails with an IoError, answered 503).
DecodeOptions WithDecodeBudget(Context& ctx, DecodeOptions decode, std::optional<PixelBudget::Lease>* lease,
                               std::chrono::steady_clock::time_point deadline);
// Puts `work` on the engines' queue with the request's body kept alive; answers 503 when full.
void Submit(Context& ctx, HttpRequest& request, Respond respond,
            std::function<HttpResponse(FaceEngine&, const HttpRequest&)> work);
// GET /api/v1/index's answer, also /status's "index".
nlohmann::json IndexStateJson(Context& ctx);

// How the service analyses library photos (its index, registering a catalogued photo): as
// `facetag index` does, whatever detector requests use.
PhotoPipelineOptions LibraryAnalysis(const Context& ctx);
// GET /api/v1/group's answer: the re-grouping's state (under index_mu).
nlohmann::json RegroupJson(const RegroupState& state);

// Liveness, readiness, /metrics, /api/v1/status and the OpenAPI file (handlers_operations.cc).
void AddOperationRoutes(Context& ctx, Router& router);
void AddRecognitionRoutes(Context& ctx, Router& router);
// POST and GET /api/v1/group: every face grouped again, in the background (handlers_regroup.cc).
void AddRegroupRoutes(Context& ctx, Router& router);
// Persons: CRUD, merge, their faces, photos and companions (handlers_persons.cc).
void AddPersonRoutes(Context& ctx, Router& router);
// Face corrections: move, reject, unassign (handlers_faces.cc).
void AddFaceRoutes(Context& ctx, Router& router);
// POST and GET /api/v1/index: the background index job (handlers_index.cc).
void AddIndexRoutes(Context& ctx, Router& router);
// POST /api/v1/faces/batch (handlers_face_batch.cc).
void AddFaceBatchRoutes(Context& ctx, Router& router);
void AddImageRoutes(Context& ctx, Router& router);
void AddEventRoutes(Context& ctx, Router& router);
// The naming workflow: review queue, merge suggestions, undo (handlers_naming.cc).
void AddNamingRoutes(Context& ctx, Router& router);
// Photos: the list and timeline, one photo with its faces, purge, drawn faces (handlers_photos.cc).
void AddPhotoRoutes(Context& ctx, Router& router);
// 409 name_taken: the error body also carries the existing person's "person_id" and "name".
HttpResponse NameTakenResponse(const PersonRecord& existing);

}  // namespace facetag::service
