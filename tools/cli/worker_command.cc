// facetag worker: joins a cluster and analyses photos for it - docs/CLUSTER.md.
#include "catalog_flags.h"
#include "cluster_flags.h"
#include "commands.h"
#include "engine_flags.h"

namespace facetag::cli {

Command AddWorkerCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("worker", "Join a cluster: pull photo jobs from the head and analyse them");
  struct Args {
    ClusterFlags cluster;
    EngineFlags engine;
    WorkerOptions worker;
  };
  auto args = std::make_shared<Args>();
  args->cluster.Register(*cmd, true);
  cmd->add_option("--threads", args->worker.threads,
                  "Jobs processed at once, each with its own engine (one: its nets use every core)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--name", args->worker.name, "Name in `cluster status` (default: host-pid)");
  cmd->add_option("--batch", args->worker.fetch_batch, "Jobs fetched per pull (more only pays for tiny jobs)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  // The same engine settings as a local index, so that a cluster catalogs the same faces.
  EngineFlags& e = args->engine;
  cmd->add_option("--detector", e.detector, "Face detector: ssd (accurate) or tiny (fast)")
      ->check(CLI::IsMember({"ssd", "tiny"}))
      ->capture_default_str();
  cmd->add_option("--model-dir", e.model_dir, "Converted models (default: $FACETAG_MODEL_DIR or the cache)");
  cmd->add_option("--max-megapixels", e.max_megapixels, "Refuse images larger than this")
      ->capture_default_str();
  cmd->add_option("--decode-min-side", e.decode_min_side, "Decode big JPEGs scaled down to this long side")
      ->capture_default_str();
  return {cmd, [args] {
            WorkerOptions o = args->worker;
            o.head = args->cluster.Endpoint();
            o.pipeline = args->engine.ToOptions();
            Status s = RunWorker(o);
            return s.ok() ? kExitOk : ReportError(s);
          }};
}

}  // namespace facetag::cli
