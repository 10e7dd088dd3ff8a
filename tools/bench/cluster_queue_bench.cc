// cluster_queue_bench: no-op jobs through a real cluster (JetStream jobs stream -> workers ->
// results stream -> head), end to end: from the first publish until the head has acked the last
// result. Start a head and workers first (scripts/bench-cluster.sh does).
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <thread>

#include "cluster/nats_connection.h"
#include "cluster/protocol.h"

int main(int argc, char** argv) {
  using namespace facetag;
  CLI::App app{"No-op jobs per second through a running facetag cluster"};
  ClusterEndpoint head;
  int jobs = 20000;
  app.add_option("--head", head.url, "nats://HOST:PORT")->required();
  app.add_option("--token", head.token, "Cluster token (default: $FACETAG_CLUSTER_TOKEN)");
  app.add_option("--jobs", jobs, "No-op jobs to send")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  auto conn = cluster::NatsConnection::Connect(head, "facetag-bench");
  if (!conn.ok()) {
    std::fprintf(stderr, "%s\n", conn.status().ToString().c_str());
    return 1;
  }
  jsCtx* js = (*conn)->js();
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < jobs; ++i) {
    cluster::Job job;
    job.id = "noop-" + std::to_string(i);
    job.noop = true;
    const std::string text = cluster::EncodeJob(job);
    if (js_PublishAsync(js, cluster::kJobsSubject, text.data(), static_cast<int>(text.size()), nullptr) !=
        NATS_OK) {
      std::fprintf(stderr, "publish failed\n");
      return 1;
    }
  }
  jsPubOptions po;
  jsPubOptions_Init(&po);
  po.MaxWait = 60000;
  js_PublishAsyncComplete(js, &po);
  const auto published = std::chrono::steady_clock::now();
  // Done when both work queues are empty: every job acked by a worker, every result by the head.
  while (true) {
    auto queued = (*conn)->StreamMessages(cluster::kJobsStream);
    auto results = (*conn)->StreamMessages(cluster::kResultsStream);
    if (queued.ok() && results.ok() && *queued == 0 && *results == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const auto done = std::chrono::steady_clock::now();
  const double total = std::chrono::duration<double>(done - t0).count();
  const double pub = std::chrono::duration<double>(published - t0).count();
  std::printf("%d no-op jobs: enqueued in %.3f s, all results applied after %.3f s: %.0f jobs/s end to end\n",
              jobs, pub, total, jobs / total);
  return 0;
}
