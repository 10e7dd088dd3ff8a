// CSV files for `neo4j-admin database import full` (Neo4j 5): one file per label and per
// relationship type, each with its header line, fields quoted as RFC 4180 says (a name with a
// newline needs --multiline-fields=true; docs/GRAPH.md has the whole command).
#include <fstream>
#include <functional>
#include <system_error>

#include "export/escape.h"
#include "facetag/graph_export.h"

namespace facetag {

using export_internal::CsvField;
using export_internal::FormatFloat;

namespace {

std::string Row(std::initializer_list<std::string> fields) {
  std::string line;
  bool first = true;
  for (const auto& f : fields) {
    if (!first) line += ',';
    first = false;
    line += f;
  }
  line += '\n';
  return line;
}

// Writes `dir/name` through a temporary file, so that an interrupted export never leaves a
// truncated file that neo4j-admin would import without complaint.
Status WriteFile(const std::filesystem::path& dir, const char* name,
                 const std::function<void(std::ostream&)>& write) {
  const auto path = dir / name;
  const auto tmp = dir / (std::string(".") + name + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return IoError("cannot write " + tmp.string());
    write(out);
    out.flush();
    if (!out) return IoError("cannot write " + tmp.string() + " (disk full?)");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return IoError("cannot rename " + tmp.string() + ": " + ec.message());
  return Status::Ok();
}

std::string Id(int64_t id) { return std::to_string(id); }

}  // namespace

const std::vector<Neo4jCsvFile>& Neo4jCsvFiles() {
  static const std::vector<Neo4jCsvFile> kFiles = {
      {"persons.csv", "--nodes=Person"},
      {"photos.csv", "--nodes=Photo"},
      {"faces.csv", "--nodes=Face"},
      {"appears_in.csv", "--relationships=APPEARS_IN"},
      {"has_face.csv", "--relationships=HAS_FACE"},
      {"of.csv", "--relationships=OF"},
      {"with.csv", "--relationships=WITH"},
  };
  return kFiles;
}

Status WriteNeo4jCsv(const PeopleGraph& g, const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return IoError("cannot create " + dir.string() + ": " + ec.message());

  FACETAG_RETURN_IF_ERROR(WriteFile(dir, "persons.csv", [&](std::ostream& out) {
    out << "id:ID(Person),name,faces:int,photos:int,hidden:boolean\n";
    for (const auto& p : g.persons)
      out << Row({Id(p.id), CsvField(p.name), Id(p.faces), Id(p.photos), p.hidden ? "true" : "false"});
  }));
  FACETAG_RETURN_IF_ERROR(WriteFile(dir, "photos.csv", [&](std::ostream& out) {
    out << "id:ID(Photo),path,taken:localdatetime,width:int,height:int,status,sha256\n";
    for (const auto& p : g.photos)
      out << Row({Id(p.id), CsvField(p.path), p.taken, std::to_string(p.width), std::to_string(p.height),
                  p.status, p.content_hash});
  }));
  FACETAG_RETURN_IF_ERROR(WriteFile(dir, "faces.csv", [&](std::ostream& out) {
    // The box is [x, y, w, h] in displayed-orientation pixels, as everywhere in facetag; ';' is
    // neo4j-admin's default array delimiter.
    out << "id:ID(Face),box:float[],score:float\n";
    for (const auto& f : g.faces) {
      const std::string box = FormatFloat(f.box.x) + ";" + FormatFloat(f.box.y) + ";" +
                              FormatFloat(f.box.width) + ";" + FormatFloat(f.box.height);
      out << Row({Id(f.id), box, FormatFloat(f.score)});
    }
  }));
  FACETAG_RETURN_IF_ERROR(WriteFile(dir, "appears_in.csv", [&](std::ostream& out) {
    out << ":START_ID(Person),:END_ID(Photo),faces:int\n";
    for (const auto& a : g.appearances) out << Row({Id(a.person_id), Id(a.photo_id), Id(a.faces)});
  }));
  FACETAG_RETURN_IF_ERROR(WriteFile(dir, "has_face.csv", [&](std::ostream& out) {
    out << ":START_ID(Photo),:END_ID(Face)\n";
    for (const auto& f : g.faces) out << Row({Id(f.photo_id), Id(f.id)});
  }));
  FACETAG_RETURN_IF_ERROR(WriteFile(dir, "of.csv", [&](std::ostream& out) {
    out << ":START_ID(Face),:END_ID(Person)\n";
    for (const auto& f : g.faces)
      if (f.person_id) out << Row({Id(f.id), Id(f.person_id)});
  }));
  return WriteFile(dir, "with.csv", [&](std::ostream& out) {
    out << ":START_ID(Person),:END_ID(Person),photos:int\n";
    for (const auto& p : g.pairs) out << Row({Id(p.a), Id(p.b), Id(p.photos)});
  });
}

}  // namespace facetag
