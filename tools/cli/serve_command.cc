// facetag serve: the recognition service (HTTP API, web UI, metrics) on the catalog.
#include "catalog_flags.h"
#include "commands.h"
#include "engine_flags.h"
#include "event_flags.h"
#include "facetag/service.h"

namespace facetag::cli {

Command AddServeCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("serve", "Serve the HTTP API, the web UI and metrics on the catalog");
  struct Args {
    CatalogFlags catalog;
    EngineFlags engine;
    EventFlags events;
    std::string listen = "127.0.0.1:8080";
    std::vector<std::string> photos;
    int queue = ServeOptions{}.queue_capacity;
    int64_t max_body_mb = 32;
    double max_decoded_megapixels = 64;
    double decoding_megapixels = 64;
    int timeout_ms = ServeOptions{}.request_timeout_ms;
    bool no_batch = false;
    float max_distance = ServeOptions{}.match_distance;
    int descriptor_threads = ServeOptions{}.descriptor_threads;
    int overload_delay_ms = ServeOptions{}.overload_delay_ms;
    int max_queue_wait_ms = ServeOptions{}.max_queue_wait_ms;
    std::vector<std::string> allowed_hosts;
    int max_connections = 0;
  };
  auto args = std::make_shared<Args>();
  // The service's default is the tiny detector: the SSD costs ~100 ms per image at its fixed
  // 512x512, the tiny one sized to the image a few ms (docs/SERVICE.md).
  args->engine.detector = "tiny";
  args->catalog.Register(*cmd);
  args->engine.Register(*cmd);
  args->events.Register(*cmd);
  cmd->add_option("--listen", args->listen, "HOST:PORT (any non-loopback host requires an API key)")
      ->capture_default_str();
  cmd->add_option("--photos", args->photos,
                  "A folder (or s3://BUCKET/PREFIX) POST /api/v1/index may index (repeatable)");
  cmd->add_option("--queue", args->queue, "Requests that may wait for the engines (then 503)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--max-body-mb", args->max_body_mb, "Largest request body")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--max-decoded-megapixels", args->max_decoded_megapixels,
                  "Largest image one request may decode into (bounds its memory; JPEGs decode scaled)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--decoding-megapixels", args->decoding_megapixels,
                  "Pixels all requests together may be decoding at once (a decode waits beyond)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--timeout-ms", args->timeout_ms, "Longest a request may wait for the engines")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--max-distance", args->max_distance, "Farthest a face may be from a person's nearest face")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_flag("--no-batch", args->no_batch,
                "Compute descriptors per request instead of batched across requests");
  cmd->add_option("--descriptor-threads", args->descriptor_threads,
                  "Threads running batched descriptor nets, each with its own copy (0: one per core)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--max-queue-wait-ms", args->max_queue_wait_ms,
                  "Refuse (503) a request that would wait longer than this for an engine")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--overload-delay-ms", args->overload_delay_ms,
                  "How long a refused request (503) is held before the answer goes out")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option(
      "--allowed-host", args->allowed_hosts,
      "A further Host name the server answers to, e.g. a reverse proxy's public name (repeatable)");
  cmd->add_option("--max-connections", args->max_connections,
                  "Open connections at most (0: 4096, fewer under a low open-files limit)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  return {cmd, [args] {
            ServeOptions options;
            options.db = args->catalog.Path();
            options.listen = args->listen;
            for (const auto& p : args->photos) options.photo_roots.emplace_back(p);
            options.pipeline = args->engine.ToOptions();
            options.queue_capacity = args->queue;
            options.max_body_bytes = args->max_body_mb << 20;
            options.max_decoded_pixels = static_cast<uint64_t>(args->max_decoded_megapixels * 1e6);
            options.max_decoding_pixels = static_cast<uint64_t>(args->decoding_megapixels * 1e6);
            options.request_timeout_ms = args->timeout_ms;
            options.batch_descriptors = !args->no_batch;
            options.match_distance = args->max_distance;
            options.descriptor_threads = args->descriptor_threads;
            options.overload_delay_ms = args->overload_delay_ms;
            options.max_queue_wait_ms = args->max_queue_wait_ms;
            options.allowed_hosts = args->allowed_hosts;
            options.max_connections = args->max_connections;
            if (Status s = args->events.Apply(&options.node_name, &options.events); !s.ok())
              return ReportError(s);
            const Status status = RunService(options);
            return status.ok() ? kExitOk : ReportError(status);
          }};
}

}  // namespace facetag::cli
