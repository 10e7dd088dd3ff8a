// The indexer in-process: progress, chunking, overlapping roots, copies, and that an unchanged
// library never needs the face engine.
#include "facetag/indexer.h"

#include <fstream>
#include <sstream>

#include "catalog/catalog_fixture.h"
#include "support/exif_writer.h"
#include "support/test_env.h"

namespace facetag::testing {
namespace {

namespace fs = std::filesystem;

class Indexer : public CatalogTest {
 protected:
  void SetUp() override {
    CatalogTest::SetUp();
    ModelDirOrFail();
    for (int i = 2; i <= 5; ++i) {
      const std::string name = "bbt" + std::to_string(i) + ".jpg";
      fs::create_directories(lib() / (i % 2 ? "odd" : "even"));
      fs::copy_file(BbtDir() / name, lib() / (i % 2 ? "odd" : "even") / name);
    }
  }
  fs::path lib() const { return dir_.path() / "photos"; }

  // Box lists per path, to compare two catalogs' contents.
  std::map<std::string, std::vector<std::array<float, 4>>> Boxes(Catalog& c) {
    std::map<std::string, std::vector<std::array<float, 4>>> out;
    auto exported = c.Export();
    EXPECT_TRUE(exported.ok());
    for (const auto& p : exported->photos) {
      auto& boxes = out[p.photo.path];
      for (const auto& f : p.faces) boxes.push_back({f.box.x, f.box.y, f.box.width, f.box.height});
    }
    return out;
  }
};

TEST_F(Indexer, ReportsProgressForEveryFileThenClusteringThenDone) {
  std::vector<IndexProgress> reports;
  auto summary = IndexLibrary(catalog(), {lib()}, {}, [&](const IndexProgress& p) { reports.push_back(p); });
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->files, 4);
  EXPECT_EQ(summary->added, 4);
  EXPECT_TRUE(summary->clustered);

  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports.front().phase, IndexProgress::Phase::kScanning);
  EXPECT_EQ(reports.back().phase, IndexProgress::Phase::kDone);
  EXPECT_EQ(reports.back().files_done, 4);
  EXPECT_EQ(reports.back().files_total, 4);
  EXPECT_EQ(reports.back().faces_found, summary->faces_added);
  int64_t done = 0;
  bool clustering_seen = false;
  for (const auto& p : reports) {
    EXPECT_GE(p.files_done, done) << "progress never goes back";
    done = p.files_done;
    if (p.phase == IndexProgress::Phase::kClustering) {
      clustering_seen = true;
      EXPECT_EQ(p.files_done, 4) << "grouping comes after every file";
    }
    if (p.phase == IndexProgress::Phase::kIndexing && p.files_done > 0) {
      EXPECT_GT(p.files_per_s, 0);
    }
  }
  EXPECT_TRUE(clustering_seen);
}

// The timeline orders photos by the date they were taken: indexing records the EXIF date.
TEST_F(Indexer, RecordsTheExifDateForTheTimeline) {
  std::ifstream in(BbtDir() / "bbt1.jpg", std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  std::ofstream(lib() / "dated.jpg", std::ios::binary) << JpegWithExif(bytes.str(), "2019:03:04 05:06:07");
  ASSERT_TRUE(IndexLibrary(catalog(), {lib()}).ok());
  auto id = catalog().PhotoIdByPath((lib() / "dated.jpg").lexically_normal().string());
  ASSERT_TRUE(id.ok() && id->has_value());
  auto entry = catalog().TimelineEntry(**id);
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->key.taken, "2019-03-04T05:06:07");
  EXPECT_TRUE(entry->taken_from_exif);
  auto undated = catalog().PhotoIdByPath((lib() / "even" / "bbt2.jpg").lexically_normal().string());
  ASSERT_TRUE(undated.ok() && undated->has_value());
  EXPECT_FALSE(catalog().TimelineEntry(**undated)->taken_from_exif);
}

TEST_F(Indexer, AnUnchangedLibraryDoesNotNeedTheFaceEngine) {
  ASSERT_TRUE(IndexLibrary(catalog(), {lib()}).ok());
  IndexOptions no_models;
  no_models.pipeline.engine.model_dir = dir_.path() / "no-models-here";
  auto again = IndexLibrary(catalog(), {lib()}, no_models);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->unchanged, 4);
  EXPECT_EQ(again->analyzed, 0);
}

TEST_F(Indexer, WithoutTheModelsNewPhotosFailTheRunAndNothingHalfIsStored) {
  IndexOptions no_models;
  no_models.pipeline.engine.model_dir = dir_.path() / "no-models-here";
  auto run = IndexLibrary(catalog(), {lib()}, no_models);
  ASSERT_FALSE(run.ok());
  EXPECT_NE(run.status().message().find("face engine"), std::string::npos) << run.status().ToString();
  EXPECT_EQ(catalog().GetCounts()->photos, 0) << "photos must not be recorded as failed for our own problem";
}

TEST_F(Indexer, SmallChunksGiveTheSameCatalogAsOneChunk) {
  ASSERT_TRUE(IndexLibrary(catalog(), {lib()}).ok());
  auto other = Catalog::Open(dir_.path() / "chunked.db");
  ASSERT_TRUE(other.ok());
  IndexOptions chunked;
  chunked.chunk_files = 1;
  auto run = IndexLibrary(**other, {lib()}, chunked);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(Boxes(**other), Boxes(catalog()));
}

TEST_F(Indexer, OverlappingRootsIndexEachFileOnce) {
  auto run = IndexLibrary(catalog(), {lib(), lib() / "odd", lib() / "odd" / "bbt3.jpg"});
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->files, 4);
  EXPECT_EQ(run->added, 4);
  EXPECT_EQ(catalog().GetCounts()->photos, 4);
}

TEST_F(Indexer, TwoCopiesOfNewContentMakeOnePhotoAtTwoPaths) {
  fs::copy_file(lib() / "odd" / "bbt3.jpg", lib() / "even" / "copy-of-bbt3.jpg");
  auto run = IndexLibrary(catalog(), {lib()});
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->files, 5);
  EXPECT_EQ(run->added, 4);
  EXPECT_EQ(run->known_content, 1);
  EXPECT_EQ(catalog().GetCounts()->photos, 4);
  // Deleting one copy loses nothing: the photo lives on at the other path.
  fs::remove(lib() / "odd" / "bbt3.jpg");
  auto after = IndexLibrary(catalog(), {lib()});
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->missing, 0);
  EXPECT_EQ(catalog().GetCounts()->missing, 0);
  EXPECT_EQ(catalog().GetCounts()->photos, 4);
}

}  // namespace
}  // namespace facetag::testing
