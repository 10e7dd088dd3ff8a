// facetag export: the whole catalog as JSON (the default), as CSV files for neo4j-admin, or as a
// Cypher script (docs/GRAPH.md), or one JPEG crop per face (--crops, a folder or s3://...,
// docs/STORAGE.md). The formats themselves live in the library (src/export).
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "catalog_flags.h"
#include "commands.h"
#include "facetag/face_crops.h"
#include "facetag/graph_export.h"

namespace facetag::cli {
namespace {

// {"photos":[{"path","faces":[{"id","box":[x,y,w,h],"person":<id or null>}]}],"people":[{"id","name"}]}
int ExportJson(Catalog& catalog) {
  auto exported = catalog.Export();
  if (!exported.ok()) return ReportError(exported.status());
  nlohmann::json photos = nlohmann::json::array();
  for (const ExportPhoto& p : exported->photos) {
    nlohmann::json faces = nlohmann::json::array();
    for (const ExportFace& f : p.faces) {
      faces.push_back({{"id", f.id},
                       {"box", {f.box.x, f.box.y, f.box.width, f.box.height}},
                       {"person", f.person_id ? nlohmann::json(f.person_id) : nlohmann::json(nullptr)}});
    }
    photos.push_back({{"path", p.photo.path}, {"faces", std::move(faces)}});
  }
  nlohmann::json people = nlohmann::json::array();
  for (const PersonRecord& person : exported->people) {
    people.push_back({{"id", person.id},
                      {"name", person.name.empty() ? nlohmann::json(nullptr) : nlohmann::json(person.name)}});
  }
  // Names and paths that are not valid UTF-8 (a Latin-1 file name) print with U+FFFD.
  std::cout << nlohmann::json{{"photos", std::move(photos)}, {"people", std::move(people)}}.dump(
                   -1, ' ', false, nlohmann::json::error_handler_t::replace)
            << '\n';
  return kExitOk;
}

int ExportNeo4j(Catalog& catalog, const std::string& dir) {
  if (dir.empty() || dir == "-") {
    return ReportError(
        InvalidArgument("--format neo4j writes several files: name a folder (export --format neo4j DIR)"));
  }
  auto graph = ReadPeopleGraph(catalog);
  if (!graph.ok()) return ReportError(graph.status());
  if (auto s = WriteNeo4jCsv(*graph, dir); !s.ok()) return ReportError(s);
  // What neo4j-admin needs to know, on stderr so that scripts can ignore it.
  std::fprintf(stderr,
               "%zu people, %zu photos, %zu faces, %zu pairs; import with:\n  neo4j-admin database import "
               "full neo4j --id-type=integer --multiline-fields=true",
               graph->persons.size(), graph->photos.size(), graph->faces.size(), graph->pairs.size());
  for (const auto& f : Neo4jCsvFiles())
    std::fprintf(stderr, " \\\n    %s=%s/%s", f.option, dir.c_str(), f.name);
  std::fprintf(stderr, "\n");
  return kExitOk;
}

int ExportCypher(Catalog& catalog, const std::string& file, size_t batch) {
  auto graph = ReadPeopleGraph(catalog);
  if (!graph.ok()) return ReportError(graph.status());
  CypherOptions options;
  options.batch_rows = batch;
  if (file.empty() || file == "-") {
    if (auto s = WriteCypherScript(*graph, std::cout, options); !s.ok()) return ReportError(s);
    return kExitOk;
  }
  // Through a temporary file, so that cypher-shell never runs half a script.
  const std::string tmp = file + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return ReportError(IoError("cannot write " + tmp));
    if (auto s = WriteCypherScript(*graph, out, options); !s.ok()) return ReportError(s);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  if (ec) return ReportError(IoError("cannot rename " + tmp + ": " + ec.message()));
  return kExitOk;
}

int ExportCrops(Catalog& catalog, const std::string& destination) {
  auto report = WriteFaceCrops(catalog, destination);
  if (!report.ok()) return ReportError(report.status());
  std::printf("%lld face crops from %lld photos into %s\n", static_cast<long long>(report->crops),
              static_cast<long long>(report->photos), destination.c_str());
  for (const auto& f : report->failures) std::printf("  %s: %s\n", f.path.c_str(), f.error.c_str());
  return report->failures.empty() ? kExitOk : kExitSomeFailed;
}

}  // namespace

Command AddExportCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("export", "Export photos, faces and people (JSON, Neo4j CSV, Cypher)");
  struct Args {
    bool json = false;
    std::string format = "json";
    std::string destination;
    size_t batch = 500;
    std::string crops;
    CatalogFlags catalog;
  };
  auto args = std::make_shared<Args>();
  cmd->add_flag("--json", args->json, "JSON on stdout (the default)");
  cmd->add_option("--format", args->format,
                  "json (stdout), neo4j (CSV files for neo4j-admin into DEST), cypher (a Cypher script into "
                  "DEST, or stdout)")
      ->check(CLI::IsMember({"json", "neo4j", "cypher"}));
  cmd->add_option("destination", args->destination, "neo4j: a folder; cypher: a file or - (stdout)");
  cmd->add_option("--batch", args->batch, "cypher: rows per UNWIND statement (default 500)")
      ->check(CLI::Range(size_t{1}, size_t{100000}));
  cmd->add_option(
      "--crops", args->crops,
      "One JPEG per face, named by face id, into a folder or s3://BUCKET/PREFIX (docs/STORAGE.md)");
  args->catalog.Register(*cmd);

  return {cmd, [args] {
            if (!args->crops.empty()) {
              if (args->json || args->format != "json" || !args->destination.empty())
                return ReportError(
                    InvalidArgument("--crops writes face crops only: no --json, --format or DEST"));
              auto catalog = args->catalog.OpenForReading();
              if (!catalog.ok()) return ReportError(catalog.status());
              return ExportCrops(**catalog, args->crops);
            }
            if (args->json && args->format != "json") {
              return ReportError(
                  InvalidArgument("--json and --format " + args->format + " contradict each other"));
            }
            if (args->format == "json" && !args->destination.empty()) {
              return ReportError(InvalidArgument("JSON goes to stdout: redirect it (export --json > FILE)"));
            }
            auto catalog = args->catalog.OpenForReading();
            if (!catalog.ok()) return ReportError(catalog.status());
            if (args->format == "neo4j") return ExportNeo4j(**catalog, args->destination);
            if (args->format == "cypher") return ExportCypher(**catalog, args->destination, args->batch);
            return ExportJson(**catalog);
          }};
}

}  // namespace facetag::cli
