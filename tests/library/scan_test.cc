// Which files the indexer takes from a folder.
#include <fstream>

#include "catalog/catalog_fixture.h"
#include "facetag/indexer.h"

namespace facetag::testing {
namespace {

namespace fs = std::filesystem;

void Touch(const fs::path& p) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << "x";
}

TEST(IsPhotoFileName, TakesTheDecodersFormatsWhateverTheCase) {
  for (const char* name :
       {"a.jpg", "a.JPG", "a.jpeg", "a.Jpeg", "a.png", "a.webp", "a.heic", "a.HEIF", "a.avif"}) {
    EXPECT_TRUE(IsPhotoFileName(name)) << name;
  }
  for (const char* name : {"a.txt", "a.gif", "a.jpg.xmp", "jpg", "a.mov", "a"})
    EXPECT_FALSE(IsPhotoFileName(name)) << name;
}

TEST(ScanRoot, FindsPhotosRecursivelySortedAndAbsolute) {
  TempDir dir;
  Touch(dir.path() / "b.jpg");
  Touch(dir.path() / "2020" / "summer" / "A.PNG");
  Touch(dir.path() / "2020" / "notes.txt");
  Touch(dir.path() / "a.heic");
  const ScannedRoot s = ScanRoot(dir.path() / "2020" / "..");
  ASSERT_TRUE(s.status.ok()) << s.status.ToString();
  EXPECT_EQ(s.root, dir.path().string()) << "lexically normal: the catalog compares paths as strings";
  EXPECT_EQ(s.files,
            (std::vector<std::string>{(dir.path() / "2020" / "summer" / "A.PNG").string(),
                                      (dir.path() / "a.heic").string(), (dir.path() / "b.jpg").string()}));
}

TEST(ScanRoot, SkipsHiddenFilesAndEverythingInHiddenFolders) {
  TempDir dir;
  Touch(dir.path() / "keep.jpg");
  Touch(dir.path() / ".thumbnails" / "keep.jpg");
  Touch(dir.path() / "album" / ".trash" / "deep" / "x.jpg");
  Touch(dir.path() / "album" / "._keep.jpg");
  const ScannedRoot s = ScanRoot(dir.path());
  EXPECT_EQ(s.files, (std::vector<std::string>{(dir.path() / "keep.jpg").string()}));
}

TEST(ScanRoot, ASingleFileIsItsOwnRoot) {
  TempDir dir;
  Touch(dir.path() / "one.jpg");
  const ScannedRoot s = ScanRoot(dir.path() / "one.jpg");
  ASSERT_TRUE(s.status.ok());
  EXPECT_EQ(s.files, (std::vector<std::string>{(dir.path() / "one.jpg").string()}));
}

TEST(ScanRoot, AMissingRootIsAnErrorNotAnEmptyFolder) {
  TempDir dir;
  const ScannedRoot s = ScanRoot(dir.path() / "unplugged");
  EXPECT_FALSE(s.status.ok());
  EXPECT_EQ(s.status.code(), ErrorCode::kNotFound);
  EXPECT_TRUE(s.files.empty());
}

TEST(ScanRoot, DoesNotFollowSymlinkedFolders) {
  TempDir dir;
  Touch(dir.path() / "real" / "a.jpg");
  fs::create_directory_symlink(dir.path(), dir.path() / "real" / "loop");
  const ScannedRoot s = ScanRoot(dir.path());
  EXPECT_EQ(s.files, (std::vector<std::string>{(dir.path() / "real" / "a.jpg").string()}));
}

// A symlinked file is taken only while it resolves inside the root: a link must not bring in a
// file from elsewhere (the service would then show it; naming it directly is refused).
TEST(ScanRoot, SkipsFileSymlinksResolvingOutsideTheRoot) {
  TempDir dir;
  Touch(dir.path() / "outside" / "x.jpg");
  Touch(dir.path() / "root" / "own.jpg");
  fs::create_symlink("../outside/x.jpg", dir.path() / "root" / "out.jpg");
  fs::create_symlink("own.jpg", dir.path() / "root" / "in.jpg");
  fs::create_symlink("nowhere.jpg", dir.path() / "root" / "dangling.jpg");
  const ScannedRoot s = ScanRoot(dir.path() / "root");
  ASSERT_TRUE(s.status.ok()) << s.status.ToString();
  EXPECT_EQ(s.files, (std::vector<std::string>{(dir.path() / "root" / "in.jpg").string(),
                                               (dir.path() / "root" / "own.jpg").string()}));
}

}  // namespace
}  // namespace facetag::testing
