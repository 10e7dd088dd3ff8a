// facetag head: the cluster's coordinator (catalog owner, nats-server, API) - docs/CLUSTER.md.
#include "catalog_flags.h"
#include "commands.h"
#include "engine_flags.h"
#include "event_flags.h"
#include "facetag/cluster.h"

namespace facetag::cli {

Command AddHeadCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "head", "Run a cluster head: owns the catalog, hands out jobs to workers, serves the API and UI");
  struct Args {
    CatalogFlags catalog;
    EngineFlags engine;
    EventFlags events;
    HeadOptions head;
    std::vector<std::string> photos;
  };
  auto args = std::make_shared<Args>();
  args->catalog.Register(*cmd);
  args->engine.Register(*cmd);
  args->events.Register(*cmd);
  cmd->add_option(
         "--listen", args->head.listen,
         "HOST:PORT of the HTTP API and web UI, or \"off\" (any non-loopback host requires an API key)")
      ->capture_default_str();
  cmd->add_option("--photos", args->photos,
                  "A folder (or s3://BUCKET/PREFIX) POST /api/v1/index may index (repeatable)");
  cmd->add_option("--allowed-host", args->head.allowed_hosts,
                  "A further Host name the API answers to, e.g. a reverse proxy's public name (repeatable)");
  auto* port = cmd->add_option("--nats-port", args->head.nats_port, "Port of the nats-server the head starts")
                   ->check(CLI::Range(1, 65535))
                   ->capture_default_str();
  cmd->add_option("--nats", args->head.nats_url,
                  "Use this NATS server (nats://HOST:PORT) instead of starting one")
      ->excludes(port);
  cmd->add_option("--nats-host", args->head.nats_listen_host,
                  "Interface the started nats-server listens on (default loopback; others need --token)")
      ->capture_default_str();
  cmd->add_option("--token", args->head.token,
                  "Cluster token (default: $FACETAG_CLUSTER_TOKEN, else a new one)");
  cmd->add_option("--ack-wait-ms", args->head.ack_wait_ms, "A job silent this long goes to another worker")
      ->check(CLI::Range(200, 3600000))
      ->capture_default_str();
  cmd->add_option("--max-deliver", args->head.max_deliver, "Deliveries before a job is dead-lettered")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  return {cmd, [args] {
            HeadOptions o = args->head;
            o.db = args->catalog.Path();
            o.pipeline = args->engine.ToOptions();
            if (o.listen == "off") o.listen.clear();
            for (const auto& p : args->photos) o.photo_roots.emplace_back(p);
            if (Status s = args->events.Apply(&o.node_name, &o.events); !s.ok()) return ReportError(s);
            if (o.events.record && o.listen.empty())
              return ReportError(InvalidArgument(
                  "--record-events records what the HTTP API recognises: not with --listen off"));
            Status s = RunHead(o);
            return s.ok() ? kExitOk : ReportError(s);
          }};
}

}  // namespace facetag::cli
