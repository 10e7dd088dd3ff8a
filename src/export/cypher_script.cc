// A Cypher script that builds the people graph in a running Neo4j (cypher-shell -f). Rows go in
// as literal lists, `batch_rows` per UNWIND statement (one transaction each in cypher-shell),
// and every node and relationship is MERGEd on the catalog's ids, so a second run updates the
// graph instead of duplicating it. Each run stamps what it writes with its export id; the last
// statements remove what an earlier run wrote and this one did not (a person merged away, a
// face moved to someone else), and nothing that facetag did not write.
#include <ctime>
#include <functional>

#include "common/random_hex.h"
#include "export/escape.h"
#include "facetag/graph_export.h"

namespace facetag {

using export_internal::CypherString;
using export_internal::FormatFloat;

namespace {

// When, plus a few random bytes: two exports within one second still tell their rows apart.
std::string NewExportId() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf) + "-" + RandomHex(3);
}

// Writes `count` rows as UNWIND batches: `head` + "[{...}, {...}] AS row" + `tail` per batch.
void Batches(std::ostream& out, size_t count, size_t batch, const std::function<std::string(size_t)>& row,
             const std::string& tail) {
  for (size_t start = 0; start < count; start += batch) {
    out << "UNWIND [";
    for (size_t i = start; i < count && i < start + batch; ++i) out << (i == start ? "" : ",\n  ") << row(i);
    out << "] AS row\n" << tail << ";\n";
  }
}

std::string Id(int64_t v) { return std::to_string(v); }

}  // namespace

Status WriteCypherScript(const PeopleGraph& g, std::ostream& out, const CypherOptions& options) {
  if (options.batch_rows == 0) return InvalidArgument("batch_rows must be at least 1");
  const std::string stamp = CypherString(options.export_id.empty() ? NewExportId() : options.export_id);
  const size_t batch = options.batch_rows;
  out << "// The facetag people graph (facetag export --format cypher). Run with cypher-shell -f;\n"
         "// running a newer export over it updates the graph (MERGE on ids).\n";
  for (const char* label : {"Person", "Photo", "Face"}) {
    out << "CREATE CONSTRAINT facetag_" << label << "_id IF NOT EXISTS FOR (n:" << label
        << ") REQUIRE n.id IS UNIQUE;\n";
  }

  Batches(
      out, g.persons.size(), batch,
      [&](size_t i) {
        const auto& p = g.persons[i];
        return "{id: " + Id(p.id) + ", name: " + (p.name.empty() ? "null" : CypherString(p.name)) +
               ", faces: " + Id(p.faces) + ", photos: " + Id(p.photos) +
               ", hidden: " + (p.hidden ? "true" : "false") + "}";
      },
      "MERGE (n:Person {id: row.id})\nSET n.name = row.name, n.faces = row.faces, n.photos = row.photos, "
      "n.hidden = row.hidden, n.facetag_export = " +
          stamp);
  Batches(
      out, g.photos.size(), batch,
      [&](size_t i) {
        const auto& p = g.photos[i];
        return "{id: " + Id(p.id) + ", path: " + CypherString(p.path) +
               ", taken: " + (p.taken.empty() ? "null" : CypherString(p.taken)) + ", width: " + Id(p.width) +
               ", height: " + Id(p.height) + ", status: " + CypherString(p.status) +
               ", sha256: " + (p.content_hash.empty() ? "null" : CypherString(p.content_hash)) + "}";
      },
      "MERGE (n:Photo {id: row.id})\nSET n.path = row.path, n.taken = localdatetime(row.taken), "
      "n.width = row.width, n.height = row.height, n.status = row.status, n.sha256 = row.sha256, "
      "n.facetag_export = " +
          stamp);
  Batches(
      out, g.faces.size(), batch,
      [&](size_t i) {
        const auto& f = g.faces[i];
        return "{id: " + Id(f.id) + ", box: [" + FormatFloat(f.box.x) + ", " + FormatFloat(f.box.y) + ", " +
               FormatFloat(f.box.width) + ", " + FormatFloat(f.box.height) +
               "], score: " + FormatFloat(f.score) + "}";
      },
      "MERGE (n:Face {id: row.id})\nSET n.box = row.box, n.score = row.score, n.facetag_export = " + stamp);

  // Relationships: both ends MATCHed on the unique ids, then MERGEd.
  const auto rel = [&](const char* from, const char* type, const char* to, const std::string& props) {
    return std::string("MATCH (a:") + from + " {id: row.a}) MATCH (b:" + to +
           " {id: row.b})\nMERGE (a)-[r:" + type + "]->(b)\nSET " + props + "r.facetag_export = " + stamp;
  };
  Batches(
      out, g.appearances.size(), batch,
      [&](size_t i) {
        const auto& a = g.appearances[i];
        return "{a: " + Id(a.person_id) + ", b: " + Id(a.photo_id) + ", faces: " + Id(a.faces) + "}";
      },
      rel("Person", "APPEARS_IN", "Photo", "r.faces = row.faces, "));
  Batches(
      out, g.faces.size(), batch,
      [&](size_t i) { return "{a: " + Id(g.faces[i].photo_id) + ", b: " + Id(g.faces[i].id) + "}"; },
      rel("Photo", "HAS_FACE", "Face", ""));
  std::vector<const GraphFace*> assigned;
  for (const auto& f : g.faces)
    if (f.person_id) assigned.push_back(&f);
  Batches(
      out, assigned.size(), batch,
      [&](size_t i) { return "{a: " + Id(assigned[i]->id) + ", b: " + Id(assigned[i]->person_id) + "}"; },
      rel("Face", "OF", "Person", ""));
  Batches(
      out, g.pairs.size(), batch,
      [&](size_t i) {
        const auto& p = g.pairs[i];
        return "{a: " + Id(p.a) + ", b: " + Id(p.b) + ", photos: " + Id(p.photos) + "}";
      },
      rel("Person", "WITH", "Person", "r.photos = row.photos, "));

  out << "// What an earlier export wrote and this one did not is gone from the catalog.\n"
         "MATCH ()-[r:APPEARS_IN|HAS_FACE|OF|WITH]->() WHERE r.facetag_export <> "
      << stamp
      << " DELETE r;\n"
         "MATCH (n) WHERE (n:Person OR n:Photo OR n:Face) AND n.facetag_export <> "
      << stamp << " DETACH DELETE n;\n";
  if (!out) return IoError("cannot write the Cypher script");
  return Status::Ok();
}

}  // namespace facetag
