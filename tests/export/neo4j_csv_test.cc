// The CSV files for neo4j-admin: exact header and rows of every file, RFC 4180 quoting of the
// awkward name and path, and the same ids from one export to the next.
#include "export/graph_fixture.h"

namespace facetag::testing {
namespace {

class Neo4jCsv : public GraphTest {
 protected:
  std::filesystem::path Write(const std::string& name = "neo4j") {
    const auto out = dir_.path() / name;
    const Status s = WriteNeo4jCsv(Graph(), out);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }
  static std::string Sha(const std::string& content) {
    return HashBytes({reinterpret_cast<const uint8_t*>(content.data()), content.size()});
  }
};

TEST_F(Neo4jCsv, WritesOneFilePerLabelAndRelationshipType) {
  const auto out = Write();
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(out)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"appears_in.csv", "faces.csv", "has_face.csv", "of.csv",
                                             "persons.csv", "photos.csv", "with.csv"}));
  ASSERT_EQ(Neo4jCsvFiles().size(), 7u);
  EXPECT_STREQ(Neo4jCsvFiles()[0].option, "--nodes=Person");
  EXPECT_STREQ(Neo4jCsvFiles()[6].option, "--relationships=WITH");
}

TEST_F(Neo4jCsv, PersonsFileExactly) {
  EXPECT_EQ(ReadText(Write() / "persons.csv"),
            "id:ID(Person),name,faces:int,photos:int,hidden:boolean\n"
            "1,\"Amy \"\"Farrah\"\", Fowler PhD\",4,4,false\n"
            "2,Bob,3,3,false\n"
            "3,,2,2,false\n");
}

TEST_F(Neo4jCsv, PhotosFileExactly) {
  EXPECT_EQ(ReadText(Write() / "photos.csv"),
            "id:ID(Photo),path,taken:localdatetime,width:int,height:int,status,sha256\n"
            "1,/lib/a.jpg,,640,480,ok," +
                Sha("a") + "\n" + "2,\"/lib/b, \"\"best\"\"\n.jpg\",,640,480,ok," + Sha("b") + "\n" +
                "3,/lib/c.jpg,,640,480,ok," + Sha("c") + "\n" + "4,/lib/d.jpg,,640,480,ok," + Sha("d") +
                "\n");
}

TEST_F(Neo4jCsv, FacesFileExactly) {
  EXPECT_EQ(ReadText(Write() / "faces.csv"),
            "id:ID(Face),box:float[],score:float\n"
            "1,10;20;100;120,0.9\n"
            "2,160;20;100;120,0.9\n"
            "3,310;20;100;120,0.9\n"
            "4,10;20;100;120,0.9\n"
            "5,160;20;100;120,0.9\n"
            "6,10;20;100;120,0.9\n"
            "7,160;20;100;120,0.9\n"
            "8,10;20;100;120,0.9\n"
            "9,160;20;100;120,0.9\n"
            "10,310;20;100;120,0.9\n");
}

TEST_F(Neo4jCsv, RelationshipFilesExactly) {
  const auto out = Write();
  EXPECT_EQ(ReadText(out / "appears_in.csv"),
            ":START_ID(Person),:END_ID(Photo),faces:int\n"
            "1,1,1\n1,2,1\n1,3,1\n1,4,1\n2,1,1\n2,2,1\n2,4,1\n3,1,1\n3,3,1\n");
  EXPECT_EQ(ReadText(out / "has_face.csv"),
            ":START_ID(Photo),:END_ID(Face)\n"
            "1,1\n1,2\n1,3\n2,4\n2,5\n3,6\n3,7\n4,8\n4,9\n4,10\n");
  // Face 10 is nobody's: no OF row.
  EXPECT_EQ(ReadText(out / "of.csv"),
            ":START_ID(Face),:END_ID(Person)\n"
            "1,1\n2,2\n3,3\n4,1\n5,2\n6,1\n7,3\n8,2\n9,1\n");
  // One row per unordered pair, the lower id first; photos = photos they share.
  EXPECT_EQ(ReadText(out / "with.csv"),
            ":START_ID(Person),:END_ID(Person),photos:int\n"
            "1,2,3\n1,3,2\n2,3,1\n");
}

TEST_F(Neo4jCsv, AwkwardNamesAndPathsReadBackExactly) {
  ASSERT_TRUE(catalog().NamePerson(cat_, "Cat, \"\"the\"\" cat,").ok());
  const auto out = Write();
  const auto persons = ParseCsv(ReadText(out / "persons.csv"));
  ASSERT_EQ(persons.size(), 4u);
  for (const auto& row : persons) EXPECT_EQ(row.size(), 5u);
  EXPECT_EQ(persons[1][1], kAwkwardName);
  EXPECT_EQ(persons[3][1], "Cat, \"\"the\"\" cat,");
  const auto photos = ParseCsv(ReadText(out / "photos.csv"));
  ASSERT_EQ(photos.size(), 5u);
  EXPECT_EQ(photos[2][1], "/lib/b, \"best\"\n.jpg");
}

TEST_F(Neo4jCsv, IdsAreStableAcrossExports) {
  const auto first = Write("first");
  const auto second = Write("second");
  for (const auto& f : Neo4jCsvFiles())
    EXPECT_EQ(ReadText(first / f.name), ReadText(second / f.name)) << f.name;
  // A new photo adds rows; every row of the first export is still there, with the same ids.
  AddPhoto("/lib/e.jpg", "e", {3, 3});
  const auto third = Write("third");
  for (const auto& f : Neo4jCsvFiles()) {
    const auto before = ParseCsv(ReadText(first / f.name));
    const auto after = ParseCsv(ReadText(third / f.name));
    for (const auto& row : before) {
      if (std::string(f.name) == "persons.csv" || std::string(f.name) == "with.csv") continue;  // counts move
      EXPECT_NE(std::find(after.begin(), after.end(), row), after.end()) << f.name << ": " << row[0];
    }
  }
  const auto persons = ParseCsv(ReadText(third / "persons.csv"));
  EXPECT_EQ(persons[1][0], std::to_string(amy_));
  EXPECT_EQ(persons[1][1], kAwkwardName);
}

TEST_F(Neo4jCsv, ReplacesAnEarlierExportAndLeavesNoTemporaryFile) {
  const auto out = Write();
  WriteBytesTo(out / "persons.csv", "stale");
  Write();
  EXPECT_EQ(ReadText(out / "persons.csv").rfind("id:ID(Person)", 0), 0u);
  for (const auto& entry : std::filesystem::directory_iterator(out))
    EXPECT_EQ(entry.path().extension(), ".csv") << entry.path();
}

TEST_F(Neo4jCsv, AFolderThatCannotBeCreatedIsAnError) {
  WriteBytesTo(dir_.path() / "file", "x");
  const Status s = WriteNeo4jCsv(Graph(), dir_.path() / "file" / "sub");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kIoError);
}

}  // namespace
}  // namespace facetag::testing
