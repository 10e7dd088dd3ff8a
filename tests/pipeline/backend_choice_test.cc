// `--backend auto` as a specification: it runs each net on the runner measured fastest on this
// CPU, it follows the measurement when one backend becomes slow, and it reuses a cached choice
// only for the same CPU, libraries and model files.
#include "pipeline/backend_choice.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/test_env.h"

namespace facetag::pipeline {
namespace {

namespace fs = std::filesystem;

// Slows every run of `slow` by far more than the gap between the backends on any CPU. Three runs,
// so that one run caught by a busy machine (a fresh Debian root's first test run took 709 ms for
// one OpenCV SSD run) cannot decide: the choice follows the median.
MeasureOptions Slowing(nn::Backend slow) {
  MeasureOptions options;
  options.runs = 3;
  options.during_run = [slow](Net, const nn::Runner& runner) {
    if (runner.backend == slow) std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  };
  return options;
}

class BackendChoiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!nn::BackendAvailable(nn::Backend::kOneDnn))
      GTEST_SKIP() << "built without oneDNN: nothing to choose";
    cache_ = fs::temp_directory_path() / ("facetag-choice-" + std::to_string(::getpid()));
    fs::remove_all(cache_);
  }
  void TearDown() override { fs::remove_all(cache_); }
  fs::path cache_;
};

TEST_F(BackendChoiceTest, PicksTheFasterBackendForEveryNet) {
  for (const nn::Backend slow : {nn::Backend::kOneDnn, nn::Backend::kOpenCv}) {
    const nn::Backend fast = slow == nn::Backend::kOneDnn ? nn::Backend::kOpenCv : nn::Backend::kOneDnn;
    SCOPED_TRACE(std::string("slowed down: ") + nn::BackendName(slow));
    auto choices = MeasureBackendChoices(testing::ModelDirOrFail(), Slowing(slow));
    ASSERT_TRUE(choices.ok()) << choices.status().ToString();
    for (const Net net : kAllNets) {
      const NetChoice& choice = choices->nets.at(net);
      EXPECT_EQ(choice.runner.backend, fast) << NetName(net);
      // Both were timed, and the choice is the smaller median.
      ASSERT_EQ(choice.median_ms.count(nn::Runner{slow, nn::Precision::kF32}.Name()), 1u) << NetName(net);
      EXPECT_LT(choice.median_ms.at(choice.runner.Name()),
                choice.median_ms.at(nn::Runner{slow, nn::Precision::kF32}.Name()));
    }
  }
}

TEST_F(BackendChoiceTest, IsMeasuredOnceThenReadFromTheCache) {
  const auto dir = testing::ModelDirOrFail();
  auto key = BackendChoiceKey(dir);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  // A cached file that chose OpenCV everywhere (as a CPU where oneDNN is slow would) is obeyed
  // without measuring: the measurement hook must not run.
  int runs = 0;
  MeasureOptions counting;
  counting.during_run = [&runs](Net, const nn::Runner&) { ++runs; };
  auto first = AutoBackendChoices(dir, counting, cache_);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->measured_now);
  EXPECT_GT(runs, 0);
  ASSERT_TRUE(fs::exists(first->cache_file));

  nlohmann::json cached;
  std::ifstream(first->cache_file) >> cached;
  EXPECT_EQ(cached["key"], *key);
  for (auto& [net, choice] : cached["nets"].items()) choice["choice"] = "opencv f32";
  const fs::path other_cache = cache_ / "other";
  fs::create_directories(other_cache);
  std::ofstream(other_cache / first->cache_file.filename()) << cached.dump();
  runs = 0;
  auto second = AutoBackendChoices(dir, counting, other_cache);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_FALSE(second->measured_now);
  EXPECT_EQ(runs, 0);
  for (const Net net : kAllNets) EXPECT_EQ(second->For(net).backend, nn::Backend::kOpenCv) << NetName(net);

  // A choice made for other models (or another CPU or library) is not used: measured again.
  cached["key"] = *key + " (other models)";
  const fs::path stale_cache = cache_ / "stale";
  fs::create_directories(stale_cache);
  std::ofstream(stale_cache / first->cache_file.filename()) << cached.dump();
  auto third = AutoBackendChoices(dir, counting, stale_cache);
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(third->measured_now);
  EXPECT_GT(runs, 0);
}

TEST_F(BackendChoiceTest, ADamagedCacheFileIsMeasuredAgain) {
  const auto dir = testing::ModelDirOrFail();
  MeasureOptions quick;
  quick.runs = 1;
  auto measured = AutoBackendChoices(dir, quick, cache_);
  ASSERT_TRUE(measured.ok());
  const fs::path damaged = cache_ / "damaged";
  fs::create_directories(damaged);
  std::ofstream(damaged / measured->cache_file.filename()) << "{\"key\": ";
  auto again = AutoBackendChoices(dir, quick, damaged);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->measured_now);
}

TEST(BackendChoiceKeyTest, MissingModelsAreAClearError) {
  auto key = BackendChoiceKey("/nonexistent");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(key.status().message().find("setup.sh"), std::string::npos);
}

}  // namespace
}  // namespace facetag::pipeline
