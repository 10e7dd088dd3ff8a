// Two connections: a reader (facetag people) works while a writer (facetag index) writes, and
// two writers wait for each other instead of failing.
#include <atomic>
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
