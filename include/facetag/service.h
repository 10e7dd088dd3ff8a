// The recognition service: the HTTP API of docs/API.md, the web UI and the metrics, over one
// catalog. `facetag serve` runs it alone; `facetag head` runs it with cluster hooks.
//
// Contract between src/service (owner of the implementation) and src/cluster (a user): the
// head plugs its remote analysis and its status in through ServiceHooks.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "facetag/engine.h"
#include "facetag/indexer.h"
#include "facetag/known_faces.h"
#include "facetag/remote_analyzer.h"
#include "facetag/status.h"

namespace facetag {

// Recognition events (docs/EVENTS.md): each face /recognize and /recognize/batch name (or cannot
// name) recorded in the catalog, written in batches by a background thread.
struct RecognitionEventOptions {
  bool record = false;
  int64_t retention_ms = 0;  // events older than this are deleted; 0: kept forever
  int flush_ms = 200;        // how long events gather before one transaction stores them
};

struct ServeOptions {
  std::filesystem::path db;  // empty: DefaultCatalogPath()
  std::string listen = "127.0.0.1:8080";
  // Folders `POST /api/v1/index` may index (a request naming a path outside them is refused);
  // s3://BUCKET/PREFIX roots allow the objects under that prefix (docs/STORAGE.md).
  std::vector<std::filesystem::path> photo_roots;
  PhotoPipelineOptions pipeline;  // engine used for recognition and indexing
  int queue_capacity = 128;       // requests waiting for the engine; beyond: 503 + Retry-After
  // A request is also refused (503) when the requests ahead of it would keep it waiting longer
  // than this, judged from the engines' recent times: under overload the answers that do come
  // stay quick instead of all waiting out a full queue.
  int max_queue_wait_ms = 250;
  int64_t max_body_bytes = 32 << 20;
  // Pixels one request's image may decode into (after JPEG's scaled decode): bounds the memory a
  // request takes, since a small compressed file can claim a huge image (a 1.5 MB PNG of
  // 14000x14000 took 575 MB). 64 MP covers a 48 MP phone photo; JPEGs decode scaled and rarely
  // come near it.
  uint64_t max_decoded_pixels = 64'000'000;
  // Pixels all requests together may be decoding at once (recognition and thumbnails): a decode
  // waits, before allocating, until its pixels fit, so that as many big images as there are
  // engine workers cannot each take max_decoded_pixels at the same time. The default lets one
  // request of the largest size decode at a time, or many ordinary photos together.
  uint64_t max_decoding_pixels = 64'000'000;
  // Further Host names the service answers to (besides localhost, IP addresses and the listen
  // host): a reverse proxy's public name, "name" or "name:port". Other names get 403 (DNS
  // rebinding), and state-changing requests from pages of other origins are refused.
  std::vector<std::string> allowed_hosts;
  // Open connections at most; beyond, idle keep-alive connections are closed to make room, else
  // the new one is answered 503 and closed. 0: 4096, or fewer if the open-files limit is lower.
  int max_connections = 0;
  int request_timeout_ms = 30000;
  // A 503 overloaded answer is held this long, as long as its Retry-After (1 s) asks clients to
  // wait: a client that retries at once gains nothing, and the cores go to recognitions, not to
  // refusals (under 1000 connections, 250 ms cost ~45% of the server's CPU in refusals; at 1 s
  // recognitions per CPU second went from 35 to 60, docs/BENCHMARKS.md).
  int overload_delay_ms = 1000;
  // Descriptors of concurrent requests run batched (identical results) by descriptor runner
  // threads, each with its own net (0: one per core). The engine workers (pipeline.workers; 0:
  // two per core with batching, one without) then only detect and locate landmarks.
  bool batch_descriptors = true;
  int descriptor_threads = 0;
  // /recognize names a face after the nearest assigned face of a named person within this, and
  // /verify calls two faces one person within it (the rule of facetag/known_faces.h).
  float match_distance = kMatchDistance;
  // This node's name: every /recognize answer carries it as `served_by` (unless a cluster worker
  // analysed the image: then the worker's name), and so do recognition events. Empty: the host
  // name.
  std::string node_name;
  RecognitionEventOptions events;
};

struct ServiceHooks {
  // May be null. While it is available, /recognize and POST /api/v1/index have their images
  // analysed by it (the index still reads, hashes and commits every photo here).
  std::shared_ptr<RemoteAnalyzer> remote;
  // The "cluster" member of GET /api/v1/status, as a JSON text ("null" when absent).
  std::function<std::string()> cluster_status_json;
};

// Serves until `stop` becomes true (checked a few times a second) or SIGINT/SIGTERM when `stop`
// is null. Fails early (before serving) when the listen address is not loopback and no API key
// exists, when the address cannot be bound, or when the catalog or models cannot be opened.
Status RunService(const ServeOptions& options, const ServiceHooks& hooks = {},
                  const std::atomic<bool>* stop = nullptr);

}  // namespace facetag
