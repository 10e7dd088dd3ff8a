// facetag faces add PHOTO --box x,y,w,h: a face the detector missed, drawn from the terminal,
// kept through a re-index of the changed file and taken back by `facetag undo`; bad boxes are
// usage errors that store nothing.
#include "cli/library_fixture.h"

namespace facetag::testing {
namespace {

class FacesAdd : public LibraryTest {
 protected:
  void SetUp() override {
    LibraryTest::SetUp();
    fs::create_directories(lib());
    fs::copy_file(BbtDir() / "bbt2.jpg", photo());
    Index();
  }
  fs::path photo() const { return lib() / "bbt2.jpg"; }
  ProcessResult Add(const std::string& photo_arg, const std::string& box) const {
    return RunProcess({FACETAG_CLI_PATH, "faces", "add", "--db", db().string(), photo_arg, "--box", box});
  }
  size_t FaceCount() const { return FacesByPath()[photo().string()].size(); }
};

TEST_F(FacesAdd, AddsADrawnFaceKeptThroughReindexingAndUndone) {
  const auto before = FacesByPath()[photo().string()];
  ASSERT_FALSE(before.empty());
  const auto& b = before[0].box;
  const std::string box = std::to_string(b[0] + 3) + "," + std::to_string(b[1]) + "," + std::to_string(b[2]) +
                          "," + std::to_string(b[3] - 2);
  const ProcessResult added = Add(photo().string(), box);
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_NE(added.out.find("added to photo"), std::string::npos) << added.out;
  EXPECT_EQ(FaceCount(), before.size() + 1);

  // The file changes (a byte appended: new content, same pixels) and is analysed again.
  CopyWithBytesAppended(photo(), lib() / "tmp.jpg");
  fs::rename(lib() / "tmp.jpg", photo());
  const nlohmann::json summary = Index();
  EXPECT_EQ(summary["replaced"], 1) << summary.dump();
  EXPECT_EQ(FaceCount(), before.size() + 1) << "the drawn face went with the re-analysis";

  const ProcessResult undone = Facetag("undo");
  ASSERT_EQ(undone.exit_code, 0) << undone.err;
  EXPECT_EQ(FaceCount(), before.size());
}

TEST_F(FacesAdd, BadBoxesAreUsageErrorsAndStoreNothing) {
  const size_t faces = FaceCount();
  for (const std::string box :
       {"1,2,3", "a,b,c,d", "10,10,0,50", "10,10,8,8", "100000,10,50,50", "-5,10,50,50", "10,10,50,50,"}) {
    const ProcessResult r = Add(photo().string(), box);
    EXPECT_EQ(r.exit_code, 2) << box << ": " << r.err;
    EXPECT_NE(r.err.find("facetag: "), std::string::npos) << box;
  }
  EXPECT_EQ(Add((lib() / "absent.jpg").string(), "10,10,50,50").exit_code, 1);
  EXPECT_EQ(FaceCount(), faces);
  EXPECT_EQ(RunProcess({FACETAG_CLI_PATH, "faces"}).exit_code, 2);
}

}  // namespace
}  // namespace facetag::testing
