// The commands over an indexed catalog: people, name, merge, move, reject, unassign, hide,
// photos, together, cluster and export, with their errors.
#include "cli/library_fixture.h"

namespace facetag::testing {
namespace {

class LibraryCommands : public LibraryTest {
 protected:
  void SetUp() override {
    LibraryTest::SetUp();
    composites_ = MakeComposites(lib());
    Index();
    ids_ = NameClustersByComposites(composites_);
    ASSERT_EQ(ids_.size(), 8u);
  }

  nlohmann::json People(bool all = false) const {
    const ProcessResult r = Facetag(
        "people", all ? std::vector<std::string>{"--json", "--all"} : std::vector<std::string>{"--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return ParseJson(r.out);
  }
  nlohmann::json PersonEntry(int64_t id, bool all = false) const {
    for (const auto& p : People(all)) {
      if (p["id"] == id) return p;
    }
    return nullptr;
  }
  // A face of `name`'s in the export, and the photo it is in.
  std::pair<int64_t, std::string> FaceOf(const std::string& name) const {
    for (const auto& [path, faces] : FacesByPath()) {
      for (const auto& f : faces) {
        if (f.person == ids_.at(name)) return {f.id, path};
      }
    }
    ADD_FAILURE() << "no face of " << name;
    return {0, ""};
  }

  std::vector<Composite> composites_;
  std::map<std::string, int64_t> ids_;
};

TEST_F(LibraryCommands, PeopleListsIdNameFaceCountAndASamplePhoto) {
  const nlohmann::json people = People();
  ASSERT_EQ(people.size(), 8u);
  for (const auto& p : people) {
    EXPECT_FALSE(p["name"].is_null());
    EXPECT_EQ(p["faces"], 5) << p.dump();
    EXPECT_TRUE(fs::exists(p["sample"]["path"].get<std::string>())) << p.dump();
    EXPECT_EQ(p["sample"]["box"].size(), 4u);
  }
  const ProcessResult human = Facetag("people");
  EXPECT_NE(human.out.find("sheldon"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("composite"), std::string::npos) << human.out;
}

TEST_F(LibraryCommands, ExportHasExactlyTheDocumentedShape) {
  const nlohmann::json e = Export();
  std::set<std::string> keys;
  for (const auto& [k, v] : e.items()) keys.insert(k);
  EXPECT_EQ(keys, (std::set<std::string>{"photos", "people"}));
  ASSERT_EQ(e["photos"].size(), 10u);
  for (const auto& photo : e["photos"]) {
    keys.clear();
    for (const auto& [k, v] : photo.items()) keys.insert(k);
    EXPECT_EQ(keys, (std::set<std::string>{"path", "faces"}));
    for (const auto& face : photo["faces"]) {
      keys.clear();
      for (const auto& [k, v] : face.items()) keys.insert(k);
      EXPECT_EQ(keys, (std::set<std::string>{"id", "box", "person"}));
      EXPECT_TRUE(face["id"].is_number_integer());
      EXPECT_EQ(face["box"].size(), 4u);
      EXPECT_TRUE(face["person"].is_number_integer() || face["person"].is_null());
    }
  }
  for (const auto& person : e["people"]) {
    keys.clear();
    for (const auto& [k, v] : person.items()) keys.insert(k);
    EXPECT_EQ(keys, (std::set<std::string>{"id", "name"}));
  }
}

TEST_F(LibraryCommands, PersonArgumentsTakeAnIdOrAUniqueName) {
  // By name, case-insensitively, and by id.
  EXPECT_EQ(Facetag("name", {"Sheldon", "Sheldon Cooper"}).exit_code, 0);
  EXPECT_EQ(PersonEntry(ids_["sheldon"])["name"], "Sheldon Cooper");
  EXPECT_EQ(Facetag("name", {std::to_string(ids_["sheldon"]), "sheldon"}).exit_code, 0);

  const ProcessResult unknown = Facetag("name", {"nobody-like-this", "x"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("nobody is named"), std::string::npos) << unknown.err;
  const ProcessResult no_id = Facetag("hide", {"99999"});
  EXPECT_EQ(no_id.exit_code, 1);
  EXPECT_NE(no_id.err.find("no person with id 99999"), std::string::npos) << no_id.err;

  // Two people of one name: allowed, but the name alone no longer says which.
  const ProcessResult twin = Facetag("name", {"raj", "amy"});
  EXPECT_EQ(twin.exit_code, 0);
  EXPECT_NE(twin.err.find("named that too"), std::string::npos) << twin.err;
  const ProcessResult ambiguous = Facetag("together", {"amy"});
  EXPECT_EQ(ambiguous.exit_code, 1);
  EXPECT_NE(ambiguous.err.find("2 people are named"), std::string::npos) << ambiguous.err;
}

TEST_F(LibraryCommands, MalformedArgumentsAreUsageErrors) {
  EXPECT_EQ(Facetag("move", {"not-a-face", "amy"}).exit_code, 2);
  EXPECT_EQ(Facetag("unassign", {"-4"}).exit_code, 2);
  EXPECT_EQ(Facetag("merge", {"amy"}).exit_code, 2) << "merge needs two people";
  EXPECT_EQ(Facetag("name", {"amy"}).exit_code, 2);
  EXPECT_EQ(Facetag("photos", {}).exit_code, 2) << "--person is required";
  const ProcessResult missing_face = Facetag("unassign", {"999999"});
  EXPECT_EQ(missing_face.exit_code, 1);
  EXPECT_NE(missing_face.err.find("no face with id 999999"), std::string::npos);
  const ProcessResult no_catalog =
      RunProcess({FACETAG_CLI_PATH, "people", "--db", (dir_.path() / "none.db").string()});
  EXPECT_EQ(no_catalog.exit_code, 1);
  EXPECT_NE(no_catalog.err.find("no catalog"), std::string::npos) << no_catalog.err;
  EXPECT_FALSE(fs::exists(dir_.path() / "none.db")) << "a read command must not create a catalog";
}

// "cluster" is the machines, "group" is faces into people: the old spelling of re-grouping
// says where it went instead of doing something else.
TEST_F(LibraryCommands, ClusterAloneIsAUsageErrorPointingToGroup) {
  const ProcessResult r = RunProcess({FACETAG_CLI_PATH, "cluster"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("facetag group"), std::string::npos) << r.err;
}

TEST_F(LibraryCommands, ANameOfOnlyDigitsIsRefused) {
  const ProcessResult r = Facetag("name", {std::to_string(ids_["amy"]), "42"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("a name may not be only digits"), std::string::npos) << r.err;
  EXPECT_EQ(PersonEntry(ids_["amy"])["name"], "amy") << "the old name stays";
}

TEST_F(LibraryCommands, MergeMovesEveryFaceToTheFirstPerson) {
  const ProcessResult merged = Facetag("merge", {"amy", "howard"});
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_NE(merged.out.find("merged 1 person into"), std::string::npos) << merged.out;
  EXPECT_EQ(PersonEntry(ids_["amy"])["faces"], 10);
  EXPECT_TRUE(PersonEntry(ids_["howard"]).is_null());
  EXPECT_EQ(Facetag("name", {"howard", "x"}).exit_code, 1) << "howard's name went with him";
}

TEST_F(LibraryCommands, MoveRejectAndUnassignAreKeptThroughRegrouping) {
  const auto [face, photo] = FaceOf("penny");
  ASSERT_EQ(Facetag("move", {std::to_string(face), "stuart"}).exit_code, 0);
  const auto [rejected, photo2] = FaceOf("leonard");
  ASSERT_EQ(Facetag("reject", {std::to_string(rejected), "leonard"}).exit_code, 0);
  const auto [alone, photo3] = FaceOf("raj");
  ASSERT_EQ(Facetag("unassign", {std::to_string(alone)}).exit_code, 0);
  const ProcessResult fresh = Facetag("move", {std::to_string(FaceOf("amy").first), "new"});
  ASSERT_EQ(fresh.exit_code, 0) << fresh.err;

  ASSERT_EQ(Facetag("group").exit_code, 0);
  std::map<int64_t, int64_t> person_of;
  for (const auto& [path, faces] : FacesByPath()) {
    for (const auto& f : faces) person_of[f.id] = f.person;
  }
  EXPECT_EQ(person_of[face], ids_["stuart"]);
  EXPECT_NE(person_of[rejected], ids_["leonard"]);
  EXPECT_EQ(person_of[alone], 0);
  EXPECT_EQ(PersonEntry(ids_["amy"])["faces"], 4);
}

// Several faces in one argument ("12,13,20") are one correction: one undo takes all back, and
// one unknown id changes nothing.
TEST_F(LibraryCommands, SeveralFacesAtOnceAreOneCorrection) {
  std::vector<std::string> penny;
  for (const auto& [path, faces] : FacesByPath()) {
    for (const auto& f : faces)
      if (f.person == ids_["penny"] && penny.size() < 3) penny.push_back(std::to_string(f.id));
  }
  ASSERT_EQ(penny.size(), 3u);
  const std::string three = penny[0] + "," + penny[1] + "," + penny[2];
  const ProcessResult unknown = Facetag("move", {penny[0] + ",999999," + penny[1], "stuart"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("no face with id 999999"), std::string::npos) << unknown.err;
  EXPECT_EQ(Facetag("move", {penny[0] + ",x", "stuart"}).exit_code, 2);
  EXPECT_EQ(PersonEntry(ids_["penny"])["faces"], 5) << "a refused batch changes nothing";

  const ProcessResult moved = Facetag("move", {three, "stuart"});
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  EXPECT_NE(moved.out.find("3 faces are now stuart"), std::string::npos) << moved.out;
  EXPECT_EQ(PersonEntry(ids_["stuart"])["faces"], 8);
  ASSERT_EQ(Facetag("undo").exit_code, 0);
  EXPECT_EQ(PersonEntry(ids_["stuart"])["faces"], 5);
  EXPECT_EQ(PersonEntry(ids_["penny"])["faces"], 5) << "one undo brought all three back";

  ASSERT_EQ(Facetag("reject", {three, "penny"}).exit_code, 0);
  EXPECT_EQ(PersonEntry(ids_["penny"])["faces"], 2);
  ASSERT_EQ(Facetag("undo").exit_code, 0);
  ASSERT_EQ(Facetag("unassign", {three}).exit_code, 0);
  EXPECT_EQ(PersonEntry(ids_["penny"])["faces"], 2);
  ASSERT_EQ(Facetag("undo").exit_code, 0);
  EXPECT_EQ(PersonEntry(ids_["penny"])["faces"], 5);
}

TEST_F(LibraryCommands, HideKeepsSomeoneOutOfPeopleUntilShown) {
  ASSERT_EQ(Facetag("hide", {"stuart"}).exit_code, 0);
  EXPECT_TRUE(PersonEntry(ids_["stuart"]).is_null());
  EXPECT_EQ(PersonEntry(ids_["stuart"], /*all=*/true)["hidden"], true);
  ASSERT_EQ(Facetag("hide", {"--show", "stuart"}).exit_code, 0);
  EXPECT_EQ(PersonEntry(ids_["stuart"])["hidden"], false);
}

TEST_F(LibraryCommands, PhotosFindsThePhotosWithEveryoneAsked) {
  // Composites 0-4 show amy, howard, penny and sheldon together; 5-9 the four others.
  const ProcessResult amy = Facetag("photos", {"--person", "amy", "--json"});
  ASSERT_EQ(amy.exit_code, 0) << amy.err;
  EXPECT_EQ(ParseJson(amy.out).size(), 5u);
  const ProcessResult both = Facetag("photos", {"--person", "amy", "--with", "sheldon", "--with", "penny"});
  EXPECT_EQ(both.exit_code, 0);
  EXPECT_EQ(std::count(both.out.begin(), both.out.end(), '\n'), 5);
  const ProcessResult never = Facetag("photos", {"--person", "amy", "--with", "raj", "--json"});
  EXPECT_EQ(ParseJson(never.out).size(), 0u);
}

TEST_F(LibraryCommands, TogetherRanksWhoAppearsWithSomeone) {
  const ProcessResult r = Facetag("together", {"--json", "leonard"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json companions = ParseJson(r.out);
  std::set<std::string> names;
  for (const auto& c : companions) {
    names.insert(c["name"]);
    EXPECT_EQ(c["shared_photos"], 5);
  }
  EXPECT_EQ(names, (std::set<std::string>{"bernadette", "raj", "stuart"}));
}

}  // namespace
}  // namespace facetag::testing
