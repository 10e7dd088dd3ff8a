// `facetag index` over a real folder, run after run: unchanged files are skipped without
// analysis, changed ones re-processed, moved ones keep their faces and names, deleted ones are
// marked missing, broken ones are recorded with their reason and never stop the run.
#include <chrono>

#include "cli/child_process.h"
#include "cli/library_fixture.h"

namespace facetag::testing {
namespace {

class IndexCommand : public LibraryTest {
 protected:
  void SetUp() override {
    LibraryTest::SetUp();
    for (const fs::path& f : RealPhotos()) {
      fs::create_directories(lib() / "real");
      fs::copy_file(f, lib() / "real" / f.filename());
    }
  }
  std::string Real(const std::string& name) const { return (lib() / "real" / name).string(); }
};

TEST_F(IndexCommand, FirstRunAddsEveryPhotoWithItsFaces) {
  const ProcessResult r = Facetag("index", {"--json", lib().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(r.max_rss_kb, 1024 * 1024) << "peak memory (two engines, a few photos in flight)";
  const nlohmann::json s = ParseJson(r.out);
  EXPECT_EQ(s["files"], 11);
  EXPECT_EQ(s["added"], 11);
  EXPECT_EQ(s["analyzed"], 11);
  EXPECT_EQ(s["failed"], 0);
  EXPECT_GE(s["faces_added"].get<int>(), 40) << "the 11 photos show 3-6 faces each";
  EXPECT_TRUE(s["failures"].empty());
  const auto faces = FacesByPath();
  ASSERT_EQ(faces.size(), 11u);
  for (const auto& [path, list] : faces) EXPECT_GE(list.size(), 3u) << path;
}

TEST_F(IndexCommand, SecondRunOverUnchangedFilesAddsNothingAndTakesSeconds) {
  Index();
  const auto before = Export();
  const auto t0 = std::chrono::steady_clock::now();
  const nlohmann::json s = Index();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  RecordProperty("second_run_seconds", std::to_string(seconds));
  EXPECT_EQ(s["unchanged"], 11);
  EXPECT_EQ(s["analyzed"], 0) << "nothing may be decoded or analysed again";
  EXPECT_EQ(s["known_content"], 0) << "nothing may even be read and hashed again";
  EXPECT_EQ(s["added"], 0);
  EXPECT_EQ(s["faces_added"], 0);
  EXPECT_EQ(s["new_people"], 0);
  EXPECT_LT(seconds, 5.0);
  EXPECT_EQ(Export(), before);
}

TEST_F(IndexCommand, AChangedFileIsProcessedAgain) {
  Index();
  const auto before = FacesByPath();
  // sample1 now holds another picture (bbt3, 5 faces): same path, new content.
  WriteBytes(Real("sample1.jpg"), ReadBytes(BbtDir() / "bbt3.jpg") + "changed");
  const nlohmann::json s = Index();
  EXPECT_EQ(s["replaced"], 1);
  EXPECT_EQ(s["analyzed"], 1);
  EXPECT_EQ(s["unchanged"], 10);
  const auto after = FacesByPath();
  ASSERT_EQ(after.at(Real("sample1.jpg")).size(), before.at(Real("bbt3.jpg")).size());
  for (size_t i = 0; i < after.at(Real("sample1.jpg")).size(); ++i) {
    EXPECT_EQ(after.at(Real("sample1.jpg"))[i].box, before.at(Real("bbt3.jpg"))[i].box);
  }
  EXPECT_EQ(after.size(), 11u);
}

TEST_F(IndexCommand, ARenamedOrMovedFileKeepsItsFacesAndTheirNames) {
  Index();
  const auto before = FacesByPath();
  const ExportedFace face = before.at(Real("bbt4.jpg")).at(0);
  ASSERT_NE(face.person, 0) << "bbt4's first face should belong to someone";
  ASSERT_EQ(Facetag("name", {std::to_string(face.person), "Leonard"}).exit_code, 0);

  fs::create_directories(lib() / "moved");
  fs::rename(Real("bbt4.jpg"), lib() / "moved" / "renamed.jpg");
  const nlohmann::json s = Index();
  EXPECT_EQ(s["known_content"], 1);
  EXPECT_EQ(s["analyzed"], 0) << "a move is recognised by content, without running the nets";
  EXPECT_EQ(s["missing"], 0) << "the photo lives on at its new path";

  const auto after = FacesByPath();
  EXPECT_EQ(after.count(Real("bbt4.jpg")), 0u);
  const auto& moved = after.at((lib() / "moved" / "renamed.jpg").string());
  ASSERT_EQ(moved.size(), before.at(Real("bbt4.jpg")).size());
  for (size_t i = 0; i < moved.size(); ++i) {
    EXPECT_EQ(moved[i].id, before.at(Real("bbt4.jpg"))[i].id) << "same face records";
    EXPECT_EQ(moved[i].person, before.at(Real("bbt4.jpg"))[i].person);
  }
  const ProcessResult people = Facetag("photos", {"--person", "Leonard", "--json"});
  ASSERT_EQ(people.exit_code, 0) << people.err;
  EXPECT_NE(people.out.find("moved/renamed.jpg"), std::string::npos) << people.out;
}

TEST_F(IndexCommand, ADeletedFileIsMarkedMissingAndKeepsItsFaces) {
  Index();
  const int64_t faces_before = static_cast<int64_t>(FacesByPath().at(Real("sample2.jpg")).size());
  fs::remove(Real("sample2.jpg"));
  const nlohmann::json s = Index();
  EXPECT_EQ(s["missing"], 1);
  EXPECT_EQ(s["catalog"]["missing"], 1);
  EXPECT_EQ(s["catalog"]["photos"], 11) << "missing, not forgotten";
  EXPECT_EQ(static_cast<int64_t>(FacesByPath().at(Real("sample2.jpg")).size()), faces_before);
}

TEST_F(IndexCommand, ABrokenFileIsRecordedWithItsReasonTheRunGoesOnAndItIsRetriedWhenItChanges) {
  const std::string good = ReadBytes(Real("sample3.jpg"));
  WriteBytes(lib() / "broken" / "truncated.jpg", good.substr(0, good.size() / 3));
  WriteBytes(lib() / "broken" / "notes.JPG", "not a photo at all\n");

  nlohmann::json s = Index(/*expected_exit=*/1);
  EXPECT_EQ(s["files"], 13);
  EXPECT_EQ(s["added"], 13) << "a failed file is recorded too";
  EXPECT_EQ(s["failed"], 2);
  EXPECT_EQ(s["catalog"]["failed"], 2);
  ASSERT_EQ(s["failures"].size(), 2u);
  std::map<std::string, std::string> reason;
  for (const auto& f : s["failures"]) reason[f["path"]] = f["error"];
  EXPECT_NE(reason[(lib() / "broken" / "truncated.jpg").string()].find("truncated"), std::string::npos);
  EXPECT_NE(reason[(lib() / "broken" / "notes.JPG").string()].find("format"), std::string::npos)
      << reason[(lib() / "broken" / "notes.JPG").string()];
  EXPECT_EQ(FacesByPath().size(), 13u);

  // Unchanged, it is not tried again, but still reported.
  const ProcessResult human = Facetag("index", {lib().string()});
  EXPECT_EQ(human.exit_code, 1);
  EXPECT_NE(human.out.find("truncated.jpg: corrupt"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("0 failed"), std::string::npos) << "no new failure: " << human.out;

  // Repaired, it is retried and its faces arrive.
  WriteBytes(lib() / "broken" / "truncated.jpg", good);
  fs::remove(lib() / "broken" / "notes.JPG");
  s = Index(/*expected_exit=*/0);
  EXPECT_EQ(s["failed"], 0);
  EXPECT_TRUE(s["failures"].empty()) << s.dump();
  EXPECT_EQ(s["catalog"]["failed"], 0);
  EXPECT_GE(FacesByPath().at((lib() / "broken" / "truncated.jpg").string()).size(), 3u);
}

TEST_F(IndexCommand, AFolderThatDoesNotExistIsReportedWithoutMarkingAnythingMissing) {
  Index();
  const nlohmann::json s =
      Index(/*expected_exit=*/1, {lib().string(), (dir_.path() / "unplugged-disk").string()});
  ASSERT_EQ(s["failures"].size(), 1u);
  EXPECT_NE(s["failures"][0]["error"].get<std::string>().find("no such"), std::string::npos);
  EXPECT_EQ(s["missing"], 0);
  EXPECT_EQ(s["unchanged"], 11);
}

TEST_F(IndexCommand, PeopleAnswersWhileIndexIsWriting) {
  Index(0, {(lib() / "real").string()});  // a catalog with people in it already
  for (int i = 0; i < 4; ++i) {
    for (const fs::path& f : RealPhotos())
      CopyWithBytesAppended(f, lib() / ("copy" + std::to_string(i)) / f.filename(), /*bytes=*/i + 1);
  }
  // The index is frozen (SIGSTOP) once it has written to the catalog, so people runs while the
  // index holds whatever it held then (a transaction, the write-ahead log) on any CPU, however
  // fast: waiting a fixed time raced a fast index to its end.
  ChildProcess index({FACETAG_CLI_PATH, "index", "--db", db().string(), lib().string()});
  const fs::path wal = db().string() + "-wal";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::error_code ec;
  while (index.Running() && std::chrono::steady_clock::now() < deadline &&
         !(fs::exists(wal, ec) && fs::file_size(wal, ec) > 0)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(index.Running()) << "the index ended before it was seen writing";
  index.Kill(SIGSTOP);
  const ProcessResult people = Facetag("people", {"--json"});
  const bool index_was_running = index.Running();
  index.Kill(SIGCONT);
  const ChildProcess::Exit index_exit = index.Wait();
  EXPECT_TRUE(index_was_running) << "people should have run while index did";
  EXPECT_EQ(people.exit_code, 0) << people.err;
  const nlohmann::json listed = ParseJson(people.out);
  EXPECT_TRUE(listed.is_array() && !listed.empty()) << "the people of the first index: " << people.out;
  EXPECT_EQ(index_exit.code, 0) << index_exit.signal;
}

TEST_F(IndexCommand, OutputIsTheSummaryOnlyWithoutATerminal) {
  const ProcessResult r = Facetag("index", {lib().string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "") << "no progress bar when stderr is not a terminal, and no chatter";
  EXPECT_NE(r.out.find("11 files"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("11 new"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(".jpg"), std::string::npos) << "no paths printed unless something failed: " << r.out;
}

}  // namespace
}  // namespace facetag::testing
