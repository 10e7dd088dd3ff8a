// The Cypher script: constraints, MERGE on ids in UNWIND batches of literal lists, escaped
// strings, and the clean-up of what an earlier export wrote and this one did not.
#include <sstream>

#include "export/graph_fixture.h"

namespace facetag::testing {
namespace {

class Cypher : public GraphTest {
 protected:
  std::string Script(size_t batch = 500, const std::string& id = "run-1") {
    std::ostringstream out;
    CypherOptions options;
    options.batch_rows = batch;
    options.export_id = id;
    const Status s = WriteCypherScript(Graph(), out, options);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out.str();
  }
  static size_t Count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  }
};

TEST_F(Cypher, CreatesUniqueIdConstraintsFirst) {
  const std::string s = Script();
  for (const char* label : {"Person", "Photo", "Face"}) {
    const std::string line = std::string("CREATE CONSTRAINT facetag_") + label +
                             "_id IF NOT EXISTS FOR (n:" + label + ") REQUIRE n.id IS UNIQUE;\n";
    const size_t at = s.find(line);
    ASSERT_NE(at, std::string::npos) << line;
    EXPECT_LT(at, s.find("UNWIND"));
  }
}

TEST_F(Cypher, MergesPersonsOnTheirIdsWithEscapedNames) {
  const std::string s = Script();
  EXPECT_NE(
      s.find("UNWIND [{id: 1, name: 'Amy \"Farrah\", Fowler PhD', faces: 4, photos: 4, hidden: false},\n"
             "  {id: 2, name: 'Bob', faces: 3, photos: 3, hidden: false},\n"
             "  {id: 3, name: null, faces: 2, photos: 2, hidden: false}] AS row\n"
             "MERGE (n:Person {id: row.id})\n"
             "SET n.name = row.name, n.faces = row.faces, n.photos = row.photos, n.hidden = row.hidden, "
             "n.facetag_export = 'run-1';\n"),
      std::string::npos)
      << s;
}

TEST_F(Cypher, MergesPhotosFacesAndEveryRelationship) {
  const std::string s = Script();
  EXPECT_NE(
      s.find("{id: 2, path: '/lib/b, \"best\"\\n.jpg', taken: null, width: 640, height: 480, status: 'ok', "
             "sha256: '"),
      std::string::npos);
  EXPECT_NE(
      s.find("MERGE (n:Photo {id: row.id})\nSET n.path = row.path, n.taken = localdatetime(row.taken), "),
      std::string::npos);
  EXPECT_NE(s.find("{id: 10, box: [310, 20, 100, 120], score: 0.9}] AS row\nMERGE (n:Face {id: row.id})\n"
                   "SET n.box = row.box, n.score = row.score, n.facetag_export = 'run-1';\n"),
            std::string::npos);
  EXPECT_NE(
      s.find(
          "UNWIND [{a: 1, b: 2, photos: 3},\n  {a: 1, b: 3, photos: 2},\n  {a: 2, b: 3, photos: 1}] AS row\n"
          "MATCH (a:Person {id: row.a}) MATCH (b:Person {id: row.b})\n"
          "MERGE (a)-[r:WITH]->(b)\n"
          "SET r.photos = row.photos, r.facetag_export = 'run-1';\n"),
      std::string::npos)
      << s;
  EXPECT_NE(s.find("MATCH (a:Person {id: row.a}) MATCH (b:Photo {id: row.b})\nMERGE (a)-[r:APPEARS_IN]->(b)\n"
                   "SET r.faces = row.faces, r.facetag_export = 'run-1';\n"),
            std::string::npos);
  EXPECT_NE(s.find("MATCH (a:Photo {id: row.a}) MATCH (b:Face {id: row.b})\nMERGE (a)-[r:HAS_FACE]->(b)\n"),
            std::string::npos);
  EXPECT_NE(s.find("MATCH (a:Face {id: row.a}) MATCH (b:Person {id: row.b})\nMERGE (a)-[r:OF]->(b)\n"),
            std::string::npos);
  // Face 10 is nobody's: 9 OF rows.
  EXPECT_EQ(Count(s, "{a: "), 9u /*APPEARS_IN*/ + 10u /*HAS_FACE*/ + 9u /*OF*/ + 3u /*WITH*/);
  // Nothing is CREATEd but the constraints: a re-run cannot duplicate.
  EXPECT_EQ(Count(s, "CREATE "), 3u);
}

TEST_F(Cypher, BatchesRowsIntoUnwindStatements) {
  // 3 persons, 4 photos, 10 faces, 9 appearances, 10 has_face, 9 of, 3 pairs; 4 rows a batch.
  const std::string s = Script(4);
  EXPECT_EQ(Count(s, "UNWIND ["), 1u + 1u + 3u + 3u + 3u + 3u + 1u);
  EXPECT_EQ(Count(s, "MERGE (n:Face {id: row.id})"), 3u);
  EXPECT_EQ(Count(Script(1), "UNWIND ["), 3u + 4u + 10u + 9u + 10u + 9u + 3u);
  std::ostringstream out;
  CypherOptions zero;
  zero.batch_rows = 0;
  EXPECT_EQ(WriteCypherScript(Graph(), out, zero).code(), ErrorCode::kInvalidArgument);
}

TEST_F(Cypher, EndsByRemovingWhatAnEarlierExportWroteAndThisOneDidNot) {
  const std::string s = Script(500, "it's run 2");
  const std::string tail =
      "MATCH ()-[r:APPEARS_IN|HAS_FACE|OF|WITH]->() WHERE r.facetag_export <> 'it\\'s run 2' DELETE r;\n"
      "MATCH (n) WHERE (n:Person OR n:Photo OR n:Face) AND n.facetag_export <> 'it\\'s run 2' DETACH DELETE "
      "n;\n";
  ASSERT_GE(s.size(), tail.size());
  EXPECT_EQ(s.substr(s.size() - tail.size()), tail);
}

TEST_F(Cypher, SameCatalogSameScript) {
  EXPECT_EQ(Script(), Script());
  // Without an export id, the stamp is the time: two scripts differ only there.
  std::ostringstream a;
  ASSERT_TRUE(WriteCypherScript(Graph(), a).ok());
  EXPECT_NE(a.str().find("n.facetag_export = '20"), std::string::npos);
}

TEST_F(Cypher, StatementsAreTerminatedAndStringsClosed) {
  // Every statement ends with ";\n" and no line break sits inside a literal (they are escaped),
  // so cypher-shell splits the script where it should.
  const std::string s = Script(2);
  std::istringstream lines(s);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("//", 0) == 0) continue;
    size_t quotes = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '\\')
        ++i;
      else if (line[i] == '\'')
        ++quotes;
    }
    EXPECT_EQ(quotes % 2, 0u) << line;
  }
  EXPECT_EQ(s.back(), '\n');
  EXPECT_EQ(s[s.size() - 2], ';');
}

}  // namespace
}  // namespace facetag::testing
