// facetag bench: per-net median latency, the CPU's FMA peak, and whole-pipeline photos/s.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "commands.h"
#include "engine_flags.h"
#include "bench/lib/bench.h"
#include "facetag/models.h"

namespace facetag::cli {
namespace {

std::vector<std::string> SamplePhotos() {
  std::vector<std::string> files;
  const auto demo = DefaultFaceApiPackageDir() / "demo";
  for (int i = 1; i <= 6; ++i) {
    const auto f = demo / ("sample" + std::to_string(i) + ".jpg");
    if (std::filesystem::exists(f)) files.push_back(f.string());
  }
  return files;
}

// The pipeline runs: each backend at f32, then at `precision` where that differs and the backend
// runs it fast (or was named), so that the precisions run side by side; auto runs at `precision`.
// The last one prints the "pipeline:" line.
std::vector<std::pair<InferenceBackend, InferencePrecision>> PipelineRuns(
    const std::vector<InferenceBackend>& backends, InferencePrecision precision) {
  std::vector<std::pair<InferenceBackend, InferencePrecision>> runs;
  for (InferenceBackend backend : backends) {
    if (backend == InferenceBackend::kAuto) {
      runs.emplace_back(backend, precision);
      continue;
    }
    runs.emplace_back(backend, InferencePrecision::kF32);
    if (std::string(ResolvedPrecisionName(backend, precision)) == "f32") continue;
    if (backends.size() == 1 || FastInt8Available(backend)) runs.emplace_back(backend, precision);
  }
  return runs;
}

}  // namespace

Command AddBenchCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("bench", "Measure per-net latency and photos/s (medians)");
  struct Args {
    int runs = 10;
    bool json = false;
    bool skip_nets = false;
    std::vector<std::string> files;
    EngineFlags engine;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--runs", args->runs, "Timed runs per measurement")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_flag("--json", args->json, "Print one JSON object");
  cmd->add_flag("--pipeline-only", args->skip_nets, "Skip the per-net and peak measurements");
  args->engine.Register(*cmd);
  cmd->add_option("images", args->files, "Photos to run the pipeline on (default: face-api's demo photos)");

  return {
      cmd, [args] {
        const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
        const PhotoPipelineOptions options = args->engine.ToOptions();
        // --backend auto (the default) compares every backend this build has, then runs auto's
        // per-net choice last, which prints the "pipeline:" line scripts/bench.sh reads.
        std::vector<InferenceBackend> net_backends = {options.engine.backend};
        std::vector<InferenceBackend> backends = {options.engine.backend};
        if (options.engine.backend == InferenceBackend::kAuto) {
          net_backends = AvailableBackends();
          backends = net_backends;
          backends.push_back(InferenceBackend::kAuto);
        }
        nlohmann::json report;
        report["backend"] = ResolvedBackendName(options.engine.backend);
        if (!args->skip_nets) {
          const PeakFlops peak = MeasurePeakFlops(cores);
          report["peak"] = {{"isa", peak.isa},
                            {"per_core_gflops", peak.per_core_gflops},
                            {"all_cores_gflops", peak.all_cores_gflops},
                            {"cores", cores}};
          if (!args->json) {
            std::printf("CPU FMA peak (%s): %.0f GFLOP/s on 1 core, %.0f on %d\n\n", peak.isa.c_str(),
                        peak.per_core_gflops, peak.all_cores_gflops, cores);
            std::printf("%-8s %-29s %7s %6s %10s %8s %9s %7s\n", "backend", "net (precision)", "threads",
                        "split", "median ms", "ms/item", "GFLOP/s", "% peak");
          }
          auto nets =
              BenchmarkNets(options.engine.model_dir.empty() ? DefaultModelDir() : options.engine.model_dir,
                            args->runs, cores, net_backends);
          if (!nets.ok()) {
            std::fprintf(stderr, "facetag: %s\n", nets.status().ToString().c_str());
            return kExitSomeFailed;
          }
          for (const NetTiming& t : *nets) {
            const double peak_gflops = t.threads == 1 ? peak.per_core_gflops : peak.all_cores_gflops;
            const double share = 100.0 * t.gflops() / peak_gflops;
            report["nets"].push_back({{"backend", t.backend},
                                      {"net", t.net},
                                      {"precision", t.precision},
                                      {"threads", t.threads},
                                      {"split", t.split},
                                      {"median_ms", t.median_ms},
                                      {"ms_per_item", t.median_ms / t.batch},
                                      {"gflops", t.gflops()},
                                      {"peak_share_pct", share}});
            if (!args->json) {
              const std::string net = t.net + " " + t.precision;
              std::printf("%-8s %-29s %7d %6s %10.2f %8.2f %9.1f %6.1f%%\n", t.backend.c_str(), net.c_str(),
                          t.threads, t.split.c_str(), t.median_ms, t.median_ms / t.batch, t.gflops(), share);
            }
          }
        }

        std::vector<std::string> files = args->files.empty() ? SamplePhotos() : args->files;
        if (files.empty()) {
          std::fprintf(stderr, "facetag: no photos to run on (run scripts/setup.sh, or name some)\n");
          return kExitSomeFailed;
        }
        int failed = 0;
        const auto runs = PipelineRuns(backends, options.engine.precision);
        for (size_t b = 0; b < runs.size(); ++b) {
          const bool last = b + 1 == runs.size();
          PhotoPipelineOptions run_options = options;
          run_options.engine.backend = runs[b].first;
          run_options.engine.precision = runs[b].second;
          const std::string name = ResolvedBackendName(runs[b].first);
          // auto's name already says each net's runner and precision.
          const std::string precision = runs[b].first == InferenceBackend::kAuto
                                            ? std::string()
                                            : ResolvedPrecisionName(runs[b].first, runs[b].second);
          auto analyzer = PhotoAnalyzer::Open(run_options);
          if (!analyzer.ok()) {
            std::fprintf(stderr, "facetag: cannot start the face engine: %s\n",
                         analyzer.status().ToString().c_str());
            return kExitSomeFailed;
          }
          // Each run goes over the photos twice so that every worker stays busy until near the end.
          std::vector<std::string> batch = files;
          batch.insert(batch.end(), files.begin(), files.end());
          std::vector<double> photos_per_s;
          long faces = 0;
          for (int r = 0; r < args->runs + 1; ++r) {
            faces = 0;
            const auto t0 = std::chrono::steady_clock::now();
            (*analyzer)->Run(batch, [&](PhotoFaces&& p) {
              faces += static_cast<long>(p.faces.size());
              failed += !p.status.ok();
            });
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            if (r > 0) photos_per_s.push_back(static_cast<double>(batch.size()) / s);  // run 0 warms up
          }
          const StageTimes t = (*analyzer)->times();
          const double median = Median(photos_per_s);
          nlohmann::json pipeline = {{"backend", name},
                                     {"precision", precision},
                                     {"photos", files.size()},
                                     {"workers", (*analyzer)->workers()},
                                     {"photos_per_s", median},
                                     {"faces_per_photo", double(faces) / batch.size()},
                                     {"detect_ms_per_photo", t.detect_ms / t.photos},
                                     {"landmarks_ms_per_face", t.faces ? t.landmarks_ms / t.faces : 0},
                                     {"descriptor_ms_per_face", t.faces ? t.embed_ms / t.faces : 0},
                                     {"failed", failed}};
          report["pipelines"].push_back(pipeline);
          if (last) report["pipeline"] = pipeline;
          if (!args->json) {
            // The auto-chosen backend prints the plain "pipeline:" line that scripts/bench.sh reads.
            if (last) {
              std::printf("\npipeline: %.2f photos/s", median);
            } else {
              std::printf("\npipeline (%s %s): %.2f photos/s", name.c_str(), precision.c_str(), median);
            }
            std::printf(" [%s%s%s] (median of %d runs, %zu photos x2, %d workers, %.1f faces/photo)\n",
                        name.c_str(), precision.empty() ? "" : " ", precision.c_str(), args->runs,
                        files.size(), (*analyzer)->workers(), double(faces) / batch.size());
            std::printf(
                "  per worker: detect %.1f ms/photo, landmarks %.2f ms/face, descriptor %.2f ms/face\n",
                t.detect_ms / t.photos, t.faces ? t.landmarks_ms / t.faces : 0.0,
                t.faces ? t.embed_ms / t.faces : 0.0);
          }
        }
        if (args->json)
          std::cout << report.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
        return failed ? kExitSomeFailed : kExitOk;
      }};
}

}  // namespace facetag::cli
