// Cluster mode over NATS JetStream: a head owns the catalog (the single writer) and a
// nats-server; workers on any machine join and leave at any time, pull photo jobs, analyse them
// and publish the results; `index --head` enqueues photos and waits until they are catalogued.
//
// Durability: jobs and results live in JetStream work-queue streams (file storage). A job is
// acked by a worker only once its result is stored in the results stream; a result is acked by
// the head only once it is committed to the catalog. A worker that dies mid-job has its job
// redelivered after the ack wait; a head that dies resumes from the results stream. Results
// are applied idempotently (a job's id is the sha256 of the photo's content, and the catalog
// keeps known content), so a redelivery never duplicates a face.
//
// Photos travel by reference: the path must be readable on every worker (shared storage).
// See docs/CLUSTER.md.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "facetag/engine.h"
#include "facetag/indexer.h"
#include "facetag/service.h"
#include "facetag/status.h"

namespace facetag {

// How a client (worker, index, status) reaches the cluster.
struct ClusterEndpoint {
  std::string url;    // nats://host:port
  std::string token;  // required by the server; empty: $FACETAG_CLUSTER_TOKEN
};

struct HeadOptions {
  std::filesystem::path db;  // empty: DefaultCatalogPath()
  // Empty: start a nats-server child on 127.0.0.1:nats_port with its store beside the catalog.
  std::string nats_url;
  int nats_port = 4222;
  std::string nats_listen_host = "127.0.0.1";  // a non-loopback host needs the token anyway
  std::string token;                           // empty: $FACETAG_CLUSTER_TOKEN, else a new one
  int ack_wait_ms = 30000;                     // a job silent this long is redelivered
  int max_deliver = 3;                         // then it is dead-lettered
  GroupingOptions grouping;                    // after an index
  // HTTP API and web UI (served through the workers where they help); empty: none.
  std::string listen = "127.0.0.1:8080";
  std::vector<std::filesystem::path> photo_roots;  // folders POST /api/v1/index may index
  // The head's own engine: /recognize, and the HTTP index's photos, when no worker answers.
  PhotoPipelineOptions pipeline;
  std::vector<std::string> allowed_hosts;  // ServeOptions::allowed_hosts of the API
  std::string node_name;                   // ServeOptions::node_name (served_by); empty: host name
  RecognitionEventOptions events;          // recognition events, as for `facetag serve`
};

// Runs the head until `stop` is true (or SIGINT/SIGTERM when null). Prints the join command
// when it made the token up.
Status RunHead(const HeadOptions& options, const std::atomic<bool>* stop = nullptr);

struct WorkerOptions {
  ClusterEndpoint head;
  std::string name;  // empty: hostname-pid
  int threads = 1;   // jobs processed at once, each with its own engine
  PhotoPipelineOptions pipeline;
  int fetch_batch = 1;  // jobs fetched per pull (more only pays for tiny jobs)
};

Status RunWorker(const WorkerOptions& options, const std::atomic<bool>* stop = nullptr);

// Enqueues the photos under `roots` and waits until every one is in the head's catalog (or
// dead-lettered, reported as a failure), then has the head mark missing files and group the
// new faces. `counts` (optional) receives the catalog's counts at the end.
Result<IndexSummary> ClusterIndex(const ClusterEndpoint& head,
                                  const std::vector<std::filesystem::path>& roots,
                                  const IndexProgressCallback& progress = {},
                                  Catalog::Counts* counts = nullptr);

// Nodes, queue depth, in-flight and failed jobs, as JSON text.
Result<std::string> ClusterStatusJson(const ClusterEndpoint& head);

struct FailedJob {
  std::string job_id, path, worker, reason;
  int deliveries = 0;
};
Result<std::vector<FailedJob>> ListFailedJobs(const ClusterEndpoint& head);

// A random token for a new cluster (hex).
std::string NewClusterToken();

}  // namespace facetag
