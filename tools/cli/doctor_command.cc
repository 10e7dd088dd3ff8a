// facetag doctor: what this machine and this build can do (CPU instruction set, backends and
// their precisions, the auto choice) and whether the converted models are in place and load.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "engine_flags.h"
#include "bench/lib/bench.h"
#include "facetag/engine.h"
#include "facetag/models.h"

namespace facetag::cli {

Command AddDoctorCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("doctor", "Check the CPU, the inference backends and the model folder");
  struct Args {
    std::string model_dir;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--model-dir", args->model_dir,
                  "Converted models (default: $FACETAG_MODEL_DIR or the cache)");
  cmd->add_flag("--json", args->json, "Print one JSON object");

  return {cmd, [args] {
            nlohmann::json report;
            for (const BackendInfo& b : DescribeBackends()) {
              report["backends"].push_back({{"name", b.name},
                                            {"available", b.available},
                                            {"version", b.version},
                                            {"isa", b.isa},
                                            {"precisions", b.precisions},
                                            {"note", b.note}});
            }
            const std::filesystem::path dir =
                args->model_dir.empty() ? DefaultModelDir() : std::filesystem::path(args->model_dir);
            MeasureAutoBackendVisibly(dir);
            if (auto choice = DescribeAutoBackend(dir); choice.ok()) {
              for (const AutoBackendNet& net : choice->nets) {
                report["auto"]["nets"][net.net] = {{"runner", net.runner}, {"median_ms", net.median_ms}};
              }
              report["auto"]["key"] = choice->key;
              report["auto"]["cache_file"] = choice->cache_file;
            } else {
              report["auto"]["error"] = choice.status().ToString();
            }
            report["model_dir"] = dir.string();
            bool models_ok = true;
            for (const char* file :
                 {"ssd_mobilenetv1.onnx", "ssd_mobilenetv1_anchors.bin", "tiny_face_detector.onnx",
                  "face_landmark_68.onnx", "face_recognition.onnx"}) {
              std::error_code ec;
              const auto size = std::filesystem::file_size(dir / file, ec);
              report["models"][file] = ec ? -1 : static_cast<int64_t>(size);
              models_ok = models_ok && !ec;
            }
            // Loading both detectors and the per-face nets proves the files parse on each backend.
            for (InferenceBackend backend : AvailableBackends()) {
              for (DetectorKind detector : {DetectorKind::kSsd, DetectorKind::kTiny}) {
                EngineOptions options;
                options.model_dir = dir;
                options.backend = backend;
                options.detector = detector;
                auto engine = FaceEngine::Open(options);
                const std::string key = std::string(ResolvedBackendName(backend)) +
                                        (detector == DetectorKind::kSsd ? " ssd" : " tiny");
                report["loads"][key] = engine.ok() ? "ok" : engine.status().ToString();
                models_ok = models_ok && engine.ok();
              }
            }
            report["ok"] = models_ok;

            if (args->json) {
              std::cout << report.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
              return models_ok ? kExitOk : kExitSomeFailed;
            }
            for (const auto& b : report["backends"]) {
              if (!b["available"].get<bool>()) {
                std::printf("backend %-7s not available: %s\n", b["name"].get<std::string>().c_str(),
                            b["note"].get<std::string>().c_str());
                continue;
              }
              std::string precisions;
              for (const auto& p : b["precisions"])
                precisions += (precisions.empty() ? "" : ", ") + p.get<std::string>();
              std::printf("backend %-7s %-8s ISA %-18s precisions: %s\n",
                          b["name"].get<std::string>().c_str(), b["version"].get<std::string>().c_str(),
                          b["isa"].get<std::string>().c_str(), precisions.c_str());
              if (!b["note"].get<std::string>().empty())
                std::printf("        %s\n", b["note"].get<std::string>().c_str());
            }
            if (report["auto"].contains("error")) {
              std::printf("auto: %s\n", report["auto"]["error"].get<std::string>().c_str());
            } else {
              std::printf("auto (single-threaded medians on this CPU, cached in %s):\n",
                          report["auto"]["cache_file"].get<std::string>().c_str());
              for (const auto& [net, choice] : report["auto"]["nets"].items()) {
                std::string times;
                for (const auto& [runner, ms] : choice["median_ms"].items()) {
                  char buf[64];
                  std::snprintf(buf, sizeof buf, "%s%s %.2f ms", times.empty() ? "" : ", ", runner.c_str(),
                                ms.get<double>());
                  times += buf;
                }
                std::printf("  %-10s -> %-12s (%s)\n", net.c_str(),
                            choice["runner"].get<std::string>().c_str(), times.c_str());
              }
            }
            std::printf("models in %s:\n", dir.string().c_str());
            for (const auto& [file, size] : report["models"].items()) {
              if (size.get<int64_t>() < 0) {
                std::printf("  %-30s MISSING (run scripts/setup.sh)\n", file.c_str());
              } else {
                std::printf("  %-30s %.1f MB\n", file.c_str(), size.get<int64_t>() / 1e6);
              }
            }
            for (const auto& [key, result] : report["loads"].items()) {
              std::printf("  load %-14s %s\n", key.c_str(), result.get<std::string>().c_str());
            }
            std::printf("%s\n", models_ok ? "ok" : "problems found (see above)");
            return models_ok ? kExitOk : kExitSomeFailed;
          }};
}

}  // namespace facetag::cli
