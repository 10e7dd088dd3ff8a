// Issue 14: a catalog on a read-only folder (a backup disk, a shared folder, a read-only mount)
// could not even be listed: SQLite's WAL mode needs the -shm file beside the catalog, and every
// open ran the schema migration, a write. Reading commands now work and writing ones say why not.
//
// chmod restricts nobody when the tests run as root, so as root the commands run as the user
// "nobody" (setpriv), for whom the folder and the file are just as read-only.
#include <sys/stat.h>
#include <unistd.h>

#include "cli/library_fixture.h"

namespace facetag::testing {
namespace {

class HardeningReadOnlyCatalog : public LibraryTest {
 protected:
  void SetUp() override {
    LibraryTest::SetUp();
    for (const char* f : {"bbt1.jpg", "bbt2.jpg"}) {
      fs::create_directories(lib());
      fs::copy_file(BbtDir() / f, lib() / f);
    }
    Index();
    const auto people = Facetag("people", {"--json"});
    ASSERT_EQ(people.exit_code, 0) << people.err;
    const auto list = ParseJson(people.out);
    ASSERT_FALSE(list.empty());
    person_ = std::to_string(list[0]["id"].get<int64_t>());
    ASSERT_EQ(Facetag("name", {person_, "Ann"}).exit_code, 0);
    ASSERT_FALSE(fs::exists(db().string() + "-wal")) << "the catalog was not closed cleanly";
    ASSERT_FALSE(fs::exists(db().string() + "-shm"));
    before_ = Export();
  }
  void TearDown() override {
    ::chmod(dir_.path().c_str(), 0700);  // so that the folder can be removed
    ::chmod(db().c_str(), 0600);
  }

  // `facetag COMMAND --db <catalog> ARGS...` as a user who cannot write what chmod protected.
  ProcessResult AsUser(const std::string& command, const std::vector<std::string>& args = {}) const {
    std::vector<std::string> argv;
    if (::geteuid() == 0) argv = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
    argv.insert(argv.end(), {FACETAG_CLI_PATH, command, "--db", db().string()});
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProcess(argv);
  }

  // The reading commands answer as they did on the writable catalog; writing ones refuse clearly.
  void ExpectReadableNotWritable() {
    const auto people = AsUser("people", {"--json"});
    EXPECT_EQ(people.exit_code, 0) << people.err;
    EXPECT_NE(people.out.find("\"Ann\""), std::string::npos) << people.out;
    const auto photos = AsUser("photos", {"--person", "Ann", "--json"});
    EXPECT_EQ(photos.exit_code, 0) << photos.err;
    EXPECT_NE(photos.out.find("bbt"), std::string::npos) << photos.out;
    const auto together = AsUser("together", {"Ann"});
    EXPECT_EQ(together.exit_code, 0) << together.err;
    const auto exported = AsUser("export", {"--json"});
    EXPECT_EQ(exported.exit_code, 0) << exported.err;
    EXPECT_EQ(ParseJson(exported.out), before_);
    // whois needs the models, which live in root's home when the tests run as root.
    if (::geteuid() != 0) {
      const auto whois = AsUser("whois", {(lib() / "bbt1.jpg").string()});
      EXPECT_EQ(whois.exit_code, 0) << whois.err;
    }

    const auto named = AsUser("name", {person_, "Bea"});
    EXPECT_EQ(named.exit_code, 1) << named.out;
    EXPECT_NE(named.err.find("catalog is read-only: " + db().string()), std::string::npos) << named.err;
    const auto hidden = AsUser("hide", {person_});
    EXPECT_EQ(hidden.exit_code, 1);
    EXPECT_NE(hidden.err.find("catalog is read-only"), std::string::npos) << hidden.err;
    EXPECT_EQ(Export(), before_);
  }

  nlohmann::json before_;
  std::string person_;
};

TEST_F(HardeningReadOnlyCatalog, ReadOnlyFolderStillReads) {
  // Traversable for "nobody" (mkdtemp made it 0700), not writable by anyone but root.
  ASSERT_EQ(::chmod(db().c_str(), 0644), 0);
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0555), 0);
  ExpectReadableNotWritable();
  // No -shm could be made: read as immutable, and nothing was left behind.
  EXPECT_FALSE(fs::exists(db().string() + "-shm"));
}

TEST_F(HardeningReadOnlyCatalog, ReadOnlyFileStillReads) {
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);
  ASSERT_EQ(::chmod(db().c_str(), 0444), 0);
  ExpectReadableNotWritable();
}

// A -wal file with commits in it cannot be read without a -shm: refused with the reason, not
// read as a stale catalog.
TEST_F(HardeningReadOnlyCatalog, UncheckpointedChangesAreNotSilentlyIgnored) {
  {
    std::ofstream wal(db().string() + "-wal", std::ios::binary);
    wal << std::string(4096, 'x');
  }
  ::chmod((db().string() + "-wal").c_str(), 0644);
  ASSERT_EQ(::chmod(db().c_str(), 0644), 0);
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0555), 0);
  const auto people = AsUser("people");
  EXPECT_EQ(people.exit_code, 1) << people.out;
  EXPECT_NE(people.err.find("-wal"), std::string::npos) << people.err;
}

}  // namespace
}  // namespace facetag::testing
