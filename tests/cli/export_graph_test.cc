// facetag export --format neo4j|cypher as a user runs it, on a catalog built through the
// library (no photos or models needed).
#include "export/graph_fixture.h"
#include "support/run_process.h"

namespace facetag::testing {
namespace {

class ExportCommand : public GraphTest {
 protected:
  ProcessResult Facetag(std::vector<std::string> args) {
    args.insert(args.begin(), FACETAG_CLI_PATH);
    args.push_back("--db");
    args.push_back(db_path().string());
    return RunProcess(args);
  }
};

TEST_F(ExportCommand, Neo4jWritesTheCsvFilesAndSaysHowToImportThem) {
  const auto out = dir_.path() / "graph";
  const auto r = Facetag({"export", "--format", "neo4j", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  for (const auto& f : Neo4jCsvFiles()) {
    EXPECT_TRUE(std::filesystem::exists(out / f.name)) << f.name;
    EXPECT_NE(r.err.find(std::string(f.option) + "=" + (out / f.name).string()), std::string::npos) << r.err;
  }
  EXPECT_NE(r.err.find("neo4j-admin database import full neo4j --id-type=integer --multiline-fields=true"),
            std::string::npos);
  EXPECT_EQ(ReadText(out / "with.csv"),
            ":START_ID(Person),:END_ID(Person),photos:int\n1,2,3\n1,3,2\n2,3,1\n");
  EXPECT_EQ(ParseCsv(ReadText(out / "persons.csv"))[1][1], kAwkwardName);
}

TEST_F(ExportCommand, CypherGoesToStdoutOrAFile) {
  const auto r = Facetag({"export", "--format", "cypher", "--batch", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("// The facetag people graph", 0), 0u);
  EXPECT_NE(r.out.find("MERGE (n:Person {id: row.id})"), std::string::npos);
  EXPECT_NE(r.out.find("'Amy \"Farrah\", Fowler PhD'"), std::string::npos);
  const auto file = dir_.path() / "graph.cypher";
  const auto w = Facetag({"export", "--format", "cypher", file.string()});
  ASSERT_EQ(w.exit_code, 0) << w.err;
  const std::string script = ReadText(file);
  EXPECT_NE(script.find("MERGE (a)-[r:WITH]->(b)"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(file.string() + ".tmp"));
}

TEST_F(ExportCommand, UsageErrorsExitWithTwo) {
  EXPECT_EQ(Facetag({"export", "--format", "neo4j"}).exit_code, 2);
  EXPECT_EQ(Facetag({"export", "--format", "graphml"}).exit_code, 2);
  EXPECT_EQ(Facetag({"export", "--json", "--format", "cypher"}).exit_code, 2);
  EXPECT_EQ(Facetag({"export", "--format", "cypher", "--batch", "0"}).exit_code, 2);
}

TEST_F(ExportCommand, JsonStaysTheDefault) {
  const auto r = Facetag({"export"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("{\"people\":", 0), 0u) << r.out.substr(0, 40);
}

}  // namespace
}  // namespace facetag::testing
