// The head: the cluster's nats-server (unless given one), the result applier and the index
// clients' requests (`facetag index --head` from other machines, on one catalog connection), and
// the HTTP service, whose own index runs here and sends only the analysis to the workers (its
// own connection to the same catalog file, as `facetag serve` has).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "cluster/guarded_catalog.h"
#include "cluster/head_requests.h"
#include "cluster/nats_connection.h"
#include "cluster/nats_server.h"
#include "cluster/remote_analyzer.h"
#include "cluster/result_applier.h"
#include "cluster/status_report.h"
#include "cluster/topology.h"
#include "common/random_hex.h"
#include "facetag/cluster.h"
#include "facetag/service.h"
#include "facetag/stop_signal.h"

namespace facetag {

std::string NewClusterToken() { return RandomHex(24); }

Status RunHead(const HeadOptions& options, const std::atomic<bool>* stop_or_null) {
  using namespace cluster;
  const std::atomic<bool>* stop = StopFlagOrSignals(stop_or_null);
  std::string token = options.token;
  if (token.empty()) {
    if (const char* env = std::getenv("FACETAG_CLUSTER_TOKEN")) token = env;
  }
  const bool made_token = token.empty();
  if (made_token) token = NewClusterToken();
  if (token.empty()) return Internal("cannot make a cluster token");

  GuardedCatalog catalog;
  const std::filesystem::path db = options.db.empty() ? DefaultCatalogPath() : options.db;
  auto opened = Catalog::Open(db);
  FACETAG_RETURN_IF_ERROR(opened.status());
  catalog.catalog = std::move(*opened);

  std::unique_ptr<NatsServer> server;
  std::string url = options.nats_url;
  if (url.empty()) {
    NatsServerOptions so;
    so.dir = db.parent_path() / (db.filename().string() + ".nats");
    so.host = options.nats_listen_host;
    so.port = options.nats_port;
    so.token = token;
    auto started = NatsServer::Start(so);
    FACETAG_RETURN_IF_ERROR(started.status());
    server = std::move(*started);
    url = server->url();
  }
  auto conn = NatsConnection::Connect({url, token}, "facetag-head");
  FACETAG_RETURN_IF_ERROR(conn.status());
  FACETAG_RETURN_IF_ERROR(EnsureTopology(**conn, {options.ack_wait_ms, options.max_deliver, 5000}));

  ResultApplier applier(**conn, catalog);
  FACETAG_RETURN_IF_ERROR(applier.Start());
  HeadRequests requests(**conn, catalog, options.grouping);
  FACETAG_RETURN_IF_ERROR(requests.Start());

  std::printf("facetag head: catalog %s, cluster at %s\n", db.c_str(), url.c_str());
  if (made_token) {
    std::printf("join a worker with:\n  facetag worker --head %s --token %s\n", url.c_str(), token.c_str());
  }
  std::fflush(stdout);

  if (!options.listen.empty()) {
    auto workers = OpenWorkersBucket(**conn);
    FACETAG_RETURN_IF_ERROR(workers.status());
    ServeOptions serve;
    serve.db = db;
    serve.listen = options.listen;
    serve.photo_roots = options.photo_roots;
    serve.pipeline = options.pipeline;
    serve.allowed_hosts = options.allowed_hosts;
    serve.node_name = options.node_name;
    serve.events = options.events;
    ServiceHooks hooks;
    hooks.remote = std::make_shared<NatsRemoteAnalyzer>(**conn, *workers);
    hooks.cluster_status_json = [&] {
      auto text = ServiceStatusJson(**conn);
      return text.ok() ? *text : std::string("null");
    };
    Status served = RunService(serve, hooks, stop);
    kvStore_Destroy(*workers);
    return served;
  }
  while (!stop->load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  return Status::Ok();
}

}  // namespace facetag
