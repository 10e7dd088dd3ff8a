// The engine pool: how many threads each engine's nets get, and one loop per engine on a thread
// of its own, with the same faces whatever the split.
#include "pipeline/engine_pool.h"

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

#include "facetag/image.h"
#include "support/test_env.h"

namespace facetag {
namespace {

EngineOptions Ssd() {
  EngineOptions options;
  options.model_dir = testing::ModelDirOrFail();
  return options;
}

int Cores() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

TEST(EnginePool, SeveralEnginesRunTheirNetsOnOneThreadEach) {
  auto pool = pipeline::EnginePool::Open(Ssd(), 2);
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  EXPECT_EQ((*pool)->size(), 2);
  EXPECT_EQ((*pool)->engine_options().inference_threads, 1);
  EXPECT_EQ((*pool)->engine_options().face_net_shards, 1);
}

TEST(EnginePool, OneEngineUsesEveryCore) {
  auto pool = pipeline::EnginePool::Open(Ssd(), 1);
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  EXPECT_EQ((*pool)->engine_options().inference_threads, 0);  // all cores
  EXPECT_EQ((*pool)->engine_options().face_net_shards, Cores());
}

TEST(EnginePool, ThreadsAskedForAreKept) {
  EngineOptions options = Ssd();
  options.inference_threads = 1;
  options.face_net_shards = 2;
  auto pool = pipeline::EnginePool::Open(options, 1);
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  EXPECT_EQ((*pool)->engine_options().inference_threads, 1);
  EXPECT_EQ((*pool)->engine_options().face_net_shards, 2);
}

TEST(EnginePool, EachEngineRunsItsLoopOnAThreadOfItsOwn) {
  auto pool = pipeline::EnginePool::Open(Ssd(), 3);
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  std::mutex mu;
  std::set<std::thread::id> threads;
  std::set<const FaceEngine*> engines;
  std::set<int> indexes;
  (*pool)->Start([&](FaceEngine& engine, int index) {
    std::lock_guard lock(mu);
    threads.insert(std::this_thread::get_id());
    engines.insert(&engine);
    indexes.insert(index);
  });
  (*pool)->Wait();
  EXPECT_EQ(threads.size(), 3u);
  EXPECT_FALSE(threads.count(std::this_thread::get_id()));
  EXPECT_EQ(engines.size(), 3u);
  EXPECT_EQ(indexes, (std::set<int>{0, 1, 2}));
}

// Threads per net change how the work is split, never the faces.
TEST(EnginePool, OneEngineAndSeveralFindTheSameFaces) {
  auto decoded = DecodeImageFile(testing::BbtDir() / "bbt1.jpg");
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  auto one = pipeline::EnginePool::Open(Ssd(), 1);
  auto two = pipeline::EnginePool::Open(Ssd(), 2);
  ASSERT_TRUE(one.ok() && two.ok());
  std::vector<std::vector<Face>> found(3);
  (*one)->Start([&](FaceEngine& engine, int) { found[0] = *AnalyzeDecoded(engine, *decoded); });
  (*one)->Wait();
  (*two)->Start([&](FaceEngine& engine, int i) { found[1 + i] = *AnalyzeDecoded(engine, *decoded); });
  (*two)->Wait();
  ASSERT_GE(found[0].size(), 3u);
  for (int k = 1; k < 3; ++k) {
    ASSERT_EQ(found[k].size(), found[0].size());
    for (size_t f = 0; f < found[0].size(); ++f) {
      EXPECT_NEAR(found[k][f].box.x, found[0][f].box.x, 0.5f);
      EXPECT_NEAR(found[k][f].box.width, found[0][f].box.width, 0.5f);
      for (size_t d = 0; d < found[0][f].embedding.size(); ++d)
        ASSERT_NEAR(found[k][f].embedding[d], found[0][f].embedding[d], 1e-4f) << "face " << f;
    }
  }
}

}  // namespace
}  // namespace facetag
