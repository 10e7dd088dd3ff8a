// The people graph for Neo4j: people, photos and faces as nodes; who appears in which photo,
// which faces a photo has, whose face it is and who appears with whom as relationships.
//
// Two ways into Neo4j (docs/GRAPH.md):
//  - WriteNeo4jCsv: CSV files for `neo4j-admin database import full` (an offline, empty database);
//  - WriteCypherScript: a script for `cypher-shell -f` that MERGEs on the catalog's ids, so that
//    running a newer export over an older graph updates it instead of duplicating it.
//
// Ids are the catalog's: never reused (AUTOINCREMENT), so the same person, photo or face has the
// same id in every export.
#pragma once

#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "facetag/catalog.h"
#include "facetag/status.h"

namespace facetag {

struct GraphPerson {
  int64_t id = 0;
  std::string name;  // empty: unnamed (no name property)
  bool hidden = false;
  int64_t faces = 0;   // faces assigned to them
  int64_t photos = 0;  // photos they appear in
};

struct GraphPhoto {
  int64_t id = 0;
  std::string path;
  std::string content_hash;  // sha256 hex; empty when the file could not be read
  std::string taken;         // EXIF date and time "YYYY-MM-DDTHH:MM:SS" (local time); empty: unknown
  int width = 0, height = 0;
  std::string status;  // "ok", "failed", "missing"
};

struct GraphFace {
  int64_t id = 0;
  int64_t photo_id = 0;
  int64_t person_id = 0;  // 0: nobody
  Box box;
  float score = 0;
};

// (person)-[:APPEARS_IN {faces}]->(photo)
struct GraphAppearance {
  int64_t person_id = 0, photo_id = 0;
  int64_t faces = 0;  // the person's faces in that photo (more than 1 only by mistake)
};

// (a)-[:WITH {photos}]->(b), one per unordered pair, a < b.
struct GraphPair {
  int64_t a = 0, b = 0;
  int64_t photos = 0;  // photos both appear in
};

struct PeopleGraph {
  std::vector<GraphPerson> persons;          // by id
  std::vector<GraphPhoto> photos;            // by id
  std::vector<GraphFace> faces;              // by id
  std::vector<GraphAppearance> appearances;  // by person, then photo
  std::vector<GraphPair> pairs;              // by a, then b
};

// The whole catalog as a graph, from one read snapshot.
Result<PeopleGraph> ReadPeopleGraph(Catalog& catalog);

// The files WriteNeo4jCsv writes, in the order neo4j-admin should read them, with the label or
// relationship type each holds.
struct Neo4jCsvFile {
  const char* name;    // "persons.csv"
  const char* option;  // "--nodes=Person", "--relationships=APPEARS_IN"
};
const std::vector<Neo4jCsvFile>& Neo4jCsvFiles();

// Writes Neo4jCsvFiles() into `dir` (created if needed; existing files are replaced). Each file
// is written to a temporary name and renamed, so a reader never sees half a file.
Status WriteNeo4jCsv(const PeopleGraph& graph, const std::filesystem::path& dir);

struct CypherOptions {
  // Rows per UNWIND statement: each statement is one transaction in cypher-shell.
  size_t batch_rows = 500;
  // Stamped on every node and relationship the script writes; those an earlier export wrote and
  // this one did not (deleted from the catalog since) are removed at the end. Empty: the time (UTC)
  // and a random suffix.
  std::string export_id;
};

Status WriteCypherScript(const PeopleGraph& graph, std::ostream& out, const CypherOptions& options = {});

}  // namespace facetag
