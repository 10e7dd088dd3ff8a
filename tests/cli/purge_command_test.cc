// `facetag purge PHOTO...` (issue 14): forgets photos by path or id, with their faces and the
// people they leave without one; the files stay, and indexing the folder again brings them back.
#include "cli/library_fixture.h"

namespace facetag::testing {
namespace {

class PurgeCommand : public LibraryTest {
 protected:
  void SetUp() override {
    LibraryTest::SetUp();
    // Photos 0-4 show amy, howard, penny and sheldon, photos 5-9 four others (library_fixture.h).
    composites_ = MakeComposites(lib());
    Index();
    before_ = FacesByPath();
    ASSERT_EQ(before_.size(), 10u);
  }

  std::set<int64_t> PersonsIn(int first, int count) {
    std::set<int64_t> out;
    for (int i = first; i < first + count; ++i)
      for (const auto& f : before_[composites_[i].file.string()])
        if (f.person) out.insert(f.person);
    return out;
  }
  // Whether the catalog still has the person (export lists only people with faces).
  bool PersonExists(int64_t id) const {
    auto catalog = Catalog::Open(db());
    EXPECT_TRUE(catalog.ok());
    return catalog.ok() && (*catalog)->GetPerson(id).ok();
  }
  int64_t PhotoId(const fs::path& path) const {
    auto catalog = Catalog::Open(db());
    EXPECT_TRUE(catalog.ok());
    if (!catalog.ok()) return 0;
    auto id = (*catalog)->PhotoIdByPath(path.string());
    EXPECT_TRUE(id.ok() && id->has_value()) << path;
    return id.ok() && id->has_value() ? **id : 0;
  }

  std::vector<Composite> composites_;
  std::map<std::string, std::vector<ExportedFace>> before_;
};

TEST_F(PurgeCommand, ForgetsPhotosTheirFacesAndTheirUnnamedPeopleAndReindexBringsThemBack) {
  std::set<int64_t> only_in_first = PersonsIn(0, 5);
  for (int64_t p : PersonsIn(5, 5)) only_in_first.erase(p);
  ASSERT_GE(only_in_first.size(), 3u);
  const int64_t named = *only_in_first.begin();
  ASSERT_EQ(Facetag("name", {std::to_string(named), "Kept"}).exit_code, 0);

  // The first by a path relative to the working directory, like any file argument.
  std::string command = "cd '" + lib().string() + "' && exec '" + FACETAG_CLI_PATH + "' purge --json --db '" +
                        db().string() + "' ./" + composites_[0].file.filename().string();
  size_t faces = 0;
  for (int i = 0; i < 5; ++i) faces += before_[composites_[i].file.string()].size();
  for (int i = 1; i < 5; ++i) command += " '" + composites_[i].file.string() + "'";
  const auto r = RunProcess({"/bin/sh", "-c", command});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto out = ParseJson(r.out);
  ASSERT_EQ(out.size(), 5u) << r.out;
  size_t purged_faces = 0, persons_removed = 0;
  for (const auto& p : out) {
    purged_faces += p["faces"].get<size_t>();
    persons_removed += p["persons_removed"].size();
  }
  EXPECT_EQ(purged_faces, faces);
  EXPECT_EQ(persons_removed, only_in_first.size() - 1) << r.out;

  const auto after = FacesByPath();
  for (int i = 0; i < 10; ++i) EXPECT_EQ(after.count(composites_[i].file.string()), i < 5 ? 0u : 1u) << i;
  for (int64_t p : only_in_first) EXPECT_EQ(PersonExists(p), p == named) << "person " << p;
  const auto photos = Facetag("photos", {"--person", "Kept", "--json"});
  EXPECT_EQ(photos.exit_code, 0) << photos.err;
  EXPECT_EQ(ParseJson(photos.out), nlohmann::json::array());
  const auto listed = Facetag("people", {"--json", "--all"});
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(listed.out.find(composites_[i].file.filename().string() + "\""), std::string::npos)
        << "a sample face of a purged photo: " << listed.out;
  EXPECT_TRUE(fs::exists(composites_[0].file)) << "the user's file is theirs";

  // Indexing the folder again: the photos and all of their faces are back.
  Index();
  const auto back = FacesByPath();
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(back.count(composites_[i].file.string()), 1u);
    EXPECT_EQ(back.at(composites_[i].file.string()).size(), before_[composites_[i].file.string()].size());
  }
}

TEST_F(PurgeCommand, ByIdWithErrorsForUnknownPhotosAndTheRestDone) {
  const fs::path photo = composites_[7].file;
  const int64_t id = PhotoId(photo);
  const auto missing = (lib() / "nothing.jpg").string();
  const auto r = Facetag("purge", {"999999", std::to_string(id), missing});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.err.find("no photo with id 999999"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no photo is catalogued at " + missing), std::string::npos) << r.err;
  const size_t faces = before_[photo.string()].size();
  EXPECT_EQ(r.out, "forgot photo " + std::to_string(id) + " (" + photo.string() +
                       "): " + std::to_string(faces) + " faces\n");
  EXPECT_EQ(FacesByPath().count(photo.string()), 0u);
  // Already gone; no argument at all is a usage error.
  EXPECT_EQ(Facetag("purge", {std::to_string(id)}).exit_code, 1);
  EXPECT_EQ(Facetag("purge").exit_code, 2);
}

}  // namespace
}  // namespace facetag::testing
