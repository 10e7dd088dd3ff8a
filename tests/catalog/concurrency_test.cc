// Two connections: a reader (facetag people) works while a writer (facetag index) writes, and
// two writers wait for each other instead of failing.
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "catalog/catalog_fixture.h"

namespace facetag::testing {
namespace {

using Concurrency = CatalogTest;

TEST_F(Concurrency, AReaderWorksWhileAWriterWrites) {
  constexpr int kPhotos = 150;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    auto w = Catalog::Open(db_path());
    ASSERT_TRUE(w.ok());
    for (int i = 0; i < kPhotos; ++i) {
      const std::string content = "photo " + std::to_string(i);
      auto out =
          (*w)->AddPhotoResult(MakePhoto("/lib/" + content, content),
                               {MakeFace(MakeEmbedding(i % 7, i + 1)), MakeFace(MakeEmbedding(7, i + 1))});
      ASSERT_TRUE(out.ok()) << out.status().ToString();
    }
    done = true;
  });

  auto reader = Catalog::Open(db_path());
  ASSERT_TRUE(reader.ok());
  int64_t last_photos = 0;
  int reads = 0;
  while (!done || reads == 0) {
    auto counts = (*reader)->GetCounts();
    ASSERT_TRUE(counts.ok()) << "the reader must never be locked out: " << counts.status().ToString();
    EXPECT_GE(counts->photos, last_photos);
    EXPECT_EQ(counts->faces, 2 * counts->photos) << "a reader never sees half a photo";
    last_photos = counts->photos;
    ASSERT_TRUE((*reader)->ListPersons().ok());
    ++reads;
  }
  writer.join();
  EXPECT_EQ((*reader)->GetCounts()->photos, kPhotos);
  EXPECT_GT(reads, 1);
}

TEST_F(Concurrency, OpeningTheCatalogDoesNotWaitForAWritersTransaction) {
  AddPhoto("/lib/a.jpg", "a", {1, 2});
  // Another process in the middle of a long write (an index regrouping a big library).
  sqlite3* writer = nullptr;
  ASSERT_EQ(sqlite3_open(db_path().c_str(), &writer), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(writer, "BEGIN IMMEDIATE; DELETE FROM faces;", nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(writer);

  const auto t0 = std::chrono::steady_clock::now();
  auto reader = Catalog::Open(db_path(), {.busy_timeout_ms = 2000});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_LT(seconds, 1.0) << "opening waited for the writer";
  auto counts = (*reader)->GetCounts();
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(counts->faces, 2) << "the reader sees the last commit, not the writer's open transaction";

  sqlite3_exec(writer, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(writer);
}

TEST_F(Concurrency, TwoWritersWaitForEachOther) {
  auto write = [&](int who) {
    auto w = Catalog::Open(db_path());
    ASSERT_TRUE(w.ok());
    for (int i = 0; i < 60; ++i) {
      const std::string content = "writer " + std::to_string(who) + " photo " + std::to_string(i);
      auto out =
          (*w)->AddPhotoResult(MakePhoto("/lib/" + content, content), {MakeFace(MakeEmbedding(who, i + 1))});
      ASSERT_TRUE(out.ok()) << out.status().ToString();
    }
  };
  std::thread a(write, 1), b(write, 2);
  a.join();
  b.join();
  EXPECT_EQ(catalog().GetCounts()->photos, 120);
}

}  // namespace
}  // namespace facetag::testing
