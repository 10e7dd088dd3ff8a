// facetag annotate: a caption and tags per photo from an OpenAI-compatible chat endpoint
// (docs/ANNOTATE.md). The work is the library's (AnnotatePhotos); this picks the photos, reads
// the configuration and reports.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "catalog_flags.h"
#include "facetag/stop_signal.h"
#include "commands.h"
#include "facetag/annotate.h"
#include "progress_bar.h"

namespace facetag::cli {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// Photos under PATH arguments (a file, or a folder and everything in it) and photos of
// --person arguments; none of either: every photo.
Result<std::vector<int64_t>> SelectPhotos(Catalog& catalog, const std::vector<std::string>& paths,
                                          const std::vector<std::string>& persons) {
  std::set<int64_t> ids;
  if (!paths.empty()) {
    auto all = catalog.PhotosToDescribe();
    if (!all.ok()) return all.status();
    for (const auto& arg : paths) {
      std::error_code ec;
      const std::string root = std::filesystem::absolute(arg, ec).lexically_normal().string();
      const std::string prefix = root.back() == '/' ? root : root + "/";
      size_t matched = 0;
      for (const auto& p : *all) {
        if (p.path == root || p.path.rfind(prefix, 0) == 0) {
          ids.insert(p.id);
          ++matched;
        }
      }
      if (matched == 0)
        return NotFound("no catalogued photo at " + arg + " (run `facetag index` on it first)");
    }
  }
  for (const auto& arg : persons) {
    auto person = ResolvePerson(catalog, arg);
    if (!person.ok()) return person.status();
    auto photos = catalog.PhotosWithAll({person->id});
    if (!photos.ok()) return photos.status();
    for (const auto& p : *photos) ids.insert(p.id);
  }
  if (ids.empty() && (!paths.empty() || !persons.empty())) return NotFound("no photo to annotate");
  return std::vector<int64_t>(ids.begin(), ids.end());
}

}  // namespace

Command AddAnnotateCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("annotate",
                                 "Caption and tag photos with a language model (OpenAI-compatible endpoint)");
  struct Args {
    std::string endpoint, model;
    bool vision = false, no_names = false, force = false, json = false;
    int concurrency = 2, retries = 5, max_side = 768;
    double timeout = 120;
    std::vector<std::string> paths, persons;
    CatalogFlags catalog;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--endpoint", args->endpoint,
                  "OpenAI-compatible server, e.g. http://127.0.0.1:8080 (default: $FACETAG_LLM_ENDPOINT)");
  cmd->add_option("--model", args->model, "Model name to ask for (default: $FACETAG_LLM_MODEL)");
  cmd->add_flag("--vision", args->vision, "Also send the photo, downscaled (for vision models)");
  cmd->add_option("--max-side", args->max_side,
                  "--vision: long side of the photo sent, in pixels (default 768)")
      ->check(CLI::Range(64, 4096));
  cmd->add_flag("--no-names", args->no_names, "Do not send the names of the people in the photo");
  cmd->add_option("--concurrency", args->concurrency, "Requests in flight (default 2)")
      ->check(CLI::Range(1, 64));
  cmd->add_option("--timeout", args->timeout, "Seconds per request (default 120)")
      ->check(CLI::Range(0.1, 3600.0));
  cmd->add_option("--retries", args->retries, "Attempts per photo on 429/5xx/timeouts (default 5)")
      ->check(CLI::Range(1, 20));
  cmd->add_flag("--force", args->force, "Annotate photos that are up to date too");
  cmd->add_option("--person", args->persons, "Only photos of this person (id or name; repeatable)")
      ->allow_extra_args(false);
  cmd->add_flag("--json", args->json, "Print the summary as JSON");
  cmd->add_option("paths", args->paths, "Only these photos, or the photos in these folders");
  args->catalog.Register(*cmd);

  return {cmd, [args] {
            AnnotateOptions options;
            options.endpoint = args->endpoint.empty() ? Env("FACETAG_LLM_ENDPOINT") : args->endpoint;
            options.model = args->model.empty() ? Env("FACETAG_LLM_MODEL") : args->model;
            if (options.endpoint.empty()) {
              std::fprintf(
                  stderr,
                  "facetag: no LLM endpoint configured. Pass --endpoint URL or set FACETAG_LLM_ENDPOINT to "
                  "an OpenAI-compatible server: llama.cpp's llama-server (http://127.0.0.1:8080), Ollama "
                  "(http://127.0.0.1:11434), vLLM, exo. An API key, if it needs one, goes in "
                  "FACETAG_LLM_API_KEY. See docs/ANNOTATE.md.\n");
              return kExitUsage;
            }
            if (options.model.empty()) {
              std::fprintf(
                  stderr,
                  "facetag: no model named. Pass --model NAME or set FACETAG_LLM_MODEL (the name the "
                  "server knows the model by, e.g. llama3.2-vision for Ollama).\n");
              return kExitUsage;
            }
            if (auto url = ChatCompletionsUrl(options.endpoint); !url.ok()) return ReportError(url.status());
            options.api_key = Env("FACETAG_LLM_API_KEY");
            options.vision = args->vision;
            options.max_image_side = args->max_side;
            options.send_names = !args->no_names;
            options.force = args->force;
            options.concurrency = args->concurrency;
            options.timeout_s = args->timeout;
            options.max_attempts = args->retries;

            auto catalog = args->catalog.OpenExisting();
            if (!catalog.ok()) return ReportError(catalog.status());
            auto ids = SelectPhotos(**catalog, args->paths, args->persons);
            if (!ids.ok()) return ReportError(ids.status());

            ProgressBar bar(stderr);
            auto progress = [&bar](const AnnotateProgress& p) {
              bar.Update(p.done, p.total, "photos", p.failed ? std::to_string(p.failed) + " failed" : "",
                         p.per_s, p.eta_s);
            };
            auto summary =
                AnnotatePhotos(**catalog, *ids, options, progress, StopFlagOrSignals(nullptr));
            bar.Clear();
            if (!summary.ok()) return ReportError(summary.status());
            const AnnotateSummary& s = *summary;
            if (args->json) {
              nlohmann::json failures = nlohmann::json::array();
              for (const auto& f : s.failures) failures.push_back({{"path", f.path}, {"error", f.error}});
              std::cout << nlohmann::json{{"photos", s.considered},   {"up_to_date", s.up_to_date},
                                          {"annotated", s.annotated}, {"failed", s.failed},
                                          {"stopped", s.stopped},     {"seconds", s.seconds},
                                          {"failures", failures}}
                               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                        << '\n';
            } else {
              std::printf("%lld photo%s: %lld annotated, %lld up to date, %lld failed (%.1f s)%s\n",
                          static_cast<long long>(s.considered), s.considered == 1 ? "" : "s",
                          static_cast<long long>(s.annotated), static_cast<long long>(s.up_to_date),
                          static_cast<long long>(s.failed), s.seconds,
                          s.stopped ? "; stopped: run again to annotate the rest" : "");
              for (const auto& f : s.failures)
                std::printf("failed: %s: %s\n", f.path.c_str(), f.error.c_str());
            }
            return s.failed > 0 || s.stopped ? kExitSomeFailed : kExitOk;
          }};
}

}  // namespace facetag::cli
