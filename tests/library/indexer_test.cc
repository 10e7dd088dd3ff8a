// The indexer in-process: progress, chunking, overlapping roots, copies, and that an unchanged
// library never needs the face engine.
#include "facetag/indexer.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "catalog/catalog_fixture.h"
#include "support/exif_writer.h"
#include "support/test_env.h"

namespace facetag::testing {
namespace {

namespace fs = std::filesystem;

// Of the 40 faces-bbt crops, how many may still have no face: 34 had none as face-api analyses
// them, 3 have none searched again inside a border (measured 2026-12-05).
constexpr int64_t kHeadshotsWithoutAFaceAtMost = 3;

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
  EXPECT_TRUE(summary->grouped);

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
    if (p.phase == IndexProgress::Phase::kGrouping) {
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

// Defect 11 of issue 15: 35 of 40 tight headshots got no face (34 of the 40 faces-bbt crops,
// 150 px, as face-api's SSD runs on them): the SSD misses a face with no scene around it. The indexer
// searches a small photo without a face again inside a border, and the summary counts the photos still
// faceless.
TEST_F(Indexer, TightHeadshotsGetTheirFaceAndPhotosWithoutOneAreCounted) {
  const fs::path crops = dir_.path() / "crops";
  fs::create_directories(crops);
  for (const auto& person : fs::directory_iterator(BbtDir())) {
    if (!person.is_directory()) continue;
    for (const auto& crop : fs::directory_iterator(person.path()))
      fs::copy_file(crop.path(),
                    crops / (person.path().filename().string() + "-" + crop.path().filename().string()));
  }
  auto run = IndexLibrary(catalog(), {crops});
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  ASSERT_EQ(run->added, 40);
  RecordProperty("crops_without_a_face", std::to_string(run->no_face));
  EXPECT_LE(run->no_face, kHeadshotsWithoutAFaceAtMost) << "of 40 tight headshots";
  int64_t faceless = 0;
  auto exported = catalog().Export();
  ASSERT_TRUE(exported.ok());
  for (const auto& photo : exported->photos) faceless += photo.faces.empty() ? 1 : 0;
  EXPECT_EQ(run->no_face, faceless) << "the summary counts exactly the photos stored without a face";
  EXPECT_EQ(IndexSummaryToJson(*run)["no_face"], faceless);
}

// The second search only looks at small photos that had no face: a group photo's faces are
// those of face-api's own analysis (the engine as the parity tests run it), box for box.
TEST_F(Indexer, GroupPhotosKeepFaceApisFaces) {
  ASSERT_TRUE(IndexLibrary(catalog(), {lib()}).ok());
  EngineOptions face_api;
  face_api.model_dir = ModelDirOrFail();
  auto engine = FaceEngine::Open(face_api);
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  std::map<std::string, std::vector<std::array<float, 4>>> expected;
  for (const auto& [path, boxes] : Boxes(catalog())) {
    auto decoded = DecodeImageFile(path);
    ASSERT_TRUE(decoded.ok()) << path;
    auto faces = AnalyzeDecoded(**engine, *decoded);
    ASSERT_TRUE(faces.ok()) << path;
    for (const auto& f : *faces) expected[path].push_back({f.box.x, f.box.y, f.box.width, f.box.height});
  }
  EXPECT_EQ(Boxes(catalog()), expected);
}

}  // namespace
}  // namespace facetag::testing
