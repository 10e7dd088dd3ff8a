// facetag backup / restore: a restored catalog is the same catalog (people, names, hidden
// flags, every correction), keeps its corrections through a re-group, and a damaged backup or a
// non-empty target is refused without touching the catalog.
#include <sys/stat.h>

#include <tuple>

#include "cli/library_fixture.h"
#include "facetag/catalog.h"
#include "facetag/grouping_io.h"

namespace facetag::testing {
namespace {

// Everything the user decided, read through the library: persons with their flags, each face's
// person and assignment, the rejections and the corrections counter.
struct CatalogState {
  std::vector<std::tuple<int64_t, std::string, bool, bool>> persons;  // id, name, hidden, pinned
  std::map<int64_t, std::pair<int64_t, Assignment>> faces;            // id -> person, assignment
  std::set<std::pair<int64_t, int64_t>> rejections;
  int64_t corrections_version = 0;
  bool operator==(const CatalogState&) const = default;
};

CatalogState ReadState(const fs::path& db) {
  CatalogState state;
  auto catalog = Catalog::Open(db);
  EXPECT_TRUE(catalog.ok()) << catalog.status().ToString();
  if (!catalog.ok()) return state;
  std::vector<FaceRejection> rejections;
  std::vector<PersonRecord> persons;
  auto version = ForEachGroupingFace(
      **catalog,
      [&](const GroupingFaceRow& row, std::span<const float>) {
        state.faces[row.face_id] = {row.person_id, row.assignment};
      },
      &rejections, &persons);
  EXPECT_TRUE(version.ok()) << version.status().ToString();
  state.corrections_version = version.ok() ? *version : -1;
  for (const auto& p : persons) state.persons.emplace_back(p.id, p.name, p.hidden, p.pinned);
  std::sort(state.persons.begin(), state.persons.end());
  for (const auto& r : rejections) state.rejections.emplace(r.face_id, r.person_id);
  return state;
}

class BackupCommand : public LibraryTest {
 protected:
  void SetUp() override {
    LibraryTest::SetUp();
    composites_ = MakeComposites(lib());
    Index();
    ids_ = NameClustersByComposites(composites_);
    ASSERT_EQ(ids_.size(), 8u);
  }

  int64_t FaceOf(const std::string& name) const {
    for (const auto& [path, faces] : FacesByPath()) {
      for (const auto& f : faces) {
        if (f.person == ids_.at(name)) return f.id;
      }
    }
    ADD_FAILURE() << "no face of " << name;
    return 0;
  }

  // One of each kind of correction: a move, a move to a new person, a rejection, an unassigned
  // face, a hidden person and a renamed one.
  void Correct() {
    moved_ = FaceOf("penny");
    ASSERT_EQ(Facetag("move", {std::to_string(moved_), "stuart"}).exit_code, 0);
    rejected_ = FaceOf("leonard");
    ASSERT_EQ(Facetag("reject", {std::to_string(rejected_), "leonard"}).exit_code, 0);
    unassigned_ = FaceOf("raj");
    ASSERT_EQ(Facetag("unassign", {std::to_string(unassigned_)}).exit_code, 0);
    ASSERT_EQ(Facetag("move", {std::to_string(FaceOf("amy")), "new"}).exit_code, 0);
    ASSERT_EQ(Facetag("hide", {"howard"}).exit_code, 0);
    ASSERT_EQ(Facetag("name", {"sheldon", "Dr. Cooper"}).exit_code, 0);
  }

  ProcessResult Run(const std::vector<std::string>& argv) const {
    std::vector<std::string> full = {FACETAG_CLI_PATH};
    full.insert(full.end(), argv.begin(), argv.end());
    return RunProcess(full);
  }

  fs::path backup() const { return dir_.path() / "backups" / "catalog.fbk"; }
  fs::path restored() const { return dir_.path() / "restored" / "catalog.db"; }

  std::vector<Composite> composites_;
  std::map<std::string, int64_t> ids_;
  int64_t moved_ = 0, rejected_ = 0, unassigned_ = 0;
};

TEST_F(BackupCommand, RestoreGivesTheSamePeopleNamesHiddenFlagsAndCorrections) {
  Correct();
  fs::create_directories(backup().parent_path());
  const ProcessResult b = Facetag("backup", {backup().string()});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_NE(b.out.find("backed up 10 photos, 40 faces"), std::string::npos) << b.out;

  const ProcessResult r = Run({"restore", "--db", restored().string(), backup().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const CatalogState original = ReadState(db());
  CatalogState copy = ReadState(restored());
  EXPECT_FALSE(original.rejections.empty());
  // The restore itself counts as one more correction (a grouping that read before it is stale).
  EXPECT_EQ(copy.corrections_version, original.corrections_version + 1);
  copy.corrections_version = original.corrections_version;
  EXPECT_EQ(original, copy);
  // And as the user sees it.
  const ProcessResult people = Facetag("people", {"--all", "--json"});
  const ProcessResult restored_people = Run({"people", "--db", restored().string(), "--all", "--json"});
  EXPECT_EQ(ParseJson(people.out), ParseJson(restored_people.out));
  EXPECT_NE(restored_people.out.find("Dr. Cooper"), std::string::npos);

  // A full re-group of the restored catalog keeps every correction, exactly as it does on the
  // original.
  ASSERT_EQ(Run({"group", "--db", restored().string()}).exit_code, 0);
  const CatalogState regrouped = ReadState(restored());
  EXPECT_EQ(regrouped.faces.at(moved_), std::make_pair(ids_["stuart"], Assignment::kUser));
  EXPECT_NE(regrouped.faces.at(rejected_).first, ids_["leonard"]);
  EXPECT_TRUE(regrouped.rejections.count({rejected_, ids_["leonard"]}));
  EXPECT_EQ(regrouped.faces.at(unassigned_), std::make_pair(int64_t{0}, Assignment::kUser));
  ASSERT_EQ(Facetag("group").exit_code, 0);
  CatalogState original_regrouped = ReadState(db());
  original_regrouped.corrections_version = regrouped.corrections_version;
  EXPECT_EQ(original_regrouped, regrouped);
}

TEST_F(BackupCommand, ANonEmptyCatalogOrADamagedBackupIsRefusedAndLeftAlone) {
  fs::create_directories(backup().parent_path());
  ASSERT_EQ(Facetag("backup", {backup().string()}).exit_code, 0);
  Correct();
  const CatalogState before = ReadState(db());

  const ProcessResult into_full = Facetag("restore", {backup().string()});
  EXPECT_EQ(into_full.exit_code, 2);
  EXPECT_NE(into_full.err.find("is not empty"), std::string::npos) << into_full.err;
  EXPECT_NE(into_full.err.find("--replace"), std::string::npos) << into_full.err;
  EXPECT_EQ(ReadState(db()), before);

  const std::string bytes = ReadBytes(backup());
  const fs::path truncated = dir_.path() / "truncated.fbk";
  WriteBytes(truncated, bytes.substr(0, bytes.size() / 2));
  const fs::path scribbled = dir_.path() / "scribbled.fbk";
  std::string damaged = bytes;
  for (size_t i = 3 * 4096; i < damaged.size() && i < 6 * 4096; ++i) damaged[i] = static_cast<char>(i * 7);
  WriteBytes(scribbled, damaged);
  const fs::path not_sqlite = dir_.path() / "photo.fbk";
  WriteBytes(not_sqlite, ReadBytes(composites_[0].file));

  for (const auto& [file, reason] : std::vector<std::pair<fs::path, std::string>>{
           {truncated, "is truncated"}, {scribbled, "is damaged"}, {not_sqlite, "not a facetag backup"}}) {
    const ProcessResult r = Facetag("restore", {"--replace", file.string()});
    EXPECT_EQ(r.exit_code, 1) << file;
    EXPECT_NE(r.err.find(reason), std::string::npos) << r.err;
    EXPECT_EQ(ReadState(db()), before) << file;
    const ProcessResult check = Run({"restore", "--check", file.string()});
    EXPECT_EQ(check.exit_code, 1) << file;
  }

  // --replace with a good backup: the catalog is the backup again, corrections made since gone.
  const ProcessResult replaced = Facetag("restore", {"--replace", backup().string()});
  ASSERT_EQ(replaced.exit_code, 0) << replaced.err;
  const CatalogState after = ReadState(db());
  EXPECT_NE(after, before);
  EXPECT_TRUE(after.rejections.empty());
}

TEST_F(BackupCommand, ABackupIsReplacedWholeAndPrivate) {
  fs::create_directories(backup().parent_path());
  WriteBytes(backup(), "an older backup");
  const ProcessResult b = Facetag("backup", {backup().string()});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(Run({"restore", "--check", backup().string()}).exit_code, 0);
  struct stat st {};
  ASSERT_EQ(::stat(backup().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // Only the backup itself: the temporary file was renamed, no journal left beside it.
  EXPECT_EQ(std::distance(fs::directory_iterator(backup().parent_path()), fs::directory_iterator()), 1);

  const ProcessResult to_folder = Facetag("backup", {backup().parent_path().string()});
  EXPECT_EQ(to_folder.exit_code, 2) << to_folder.err;
  const std::string catalog_bytes = ReadBytes(db());
  const ProcessResult over_itself = Facetag("backup", {db().string()});
  EXPECT_EQ(over_itself.exit_code, 2) << over_itself.err;
  EXPECT_NE(over_itself.err.find("is the catalog itself"), std::string::npos) << over_itself.err;
  EXPECT_EQ(Facetag("restore", {"--replace", db().string()}).exit_code, 2);
  EXPECT_EQ(ReadBytes(db()), catalog_bytes);
  const ProcessResult no_catalog =
      Run({"backup", "--db", (dir_.path() / "none.db").string(), (dir_.path() / "x.fbk").string()});
  EXPECT_EQ(no_catalog.exit_code, 1);
  EXPECT_NE(no_catalog.err.find("no catalog"), std::string::npos) << no_catalog.err;
}

}  // namespace
}  // namespace facetag::testing
