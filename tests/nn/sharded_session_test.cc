// A sharded session must give exactly what one copy of the net gives on the whole batch.
#include <gtest/gtest.h>

#include <random>

#include "nn/session.h"
#include "support/test_env.h"

namespace facetag::nn {
namespace {

TEST(ShardedSession, SplitsTheBatchAndStitchesOutputsInOrder) {
  const auto model = testing::ModelDirOrFail() / "face_recognition.onnx";
  auto one = OpenSession(Backend::kOpenCv, model, {{"descriptor"}, 1});
  auto sharded = OpenSession(Backend::kOpenCv, model, {{"descriptor"}, 2});
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  ASSERT_TRUE(sharded.ok()) << sharded.status().ToString();

  std::mt19937 rng(3);
  std::uniform_real_distribution<float> noise(-1, 1);
  for (int batch : {1, 2, 5}) {  // 5: uneven parts
    Tensor input({batch, 3, 150, 150});
    for (float& v : input.data) v = noise(rng);
    auto want = (*one)->Run(input);
    auto got = (*sharded)->Run(input);
    ASSERT_TRUE(want.ok() && got.ok());
    ASSERT_EQ((*got)[0].shape, (*want)[0].shape);
    for (size_t i = 0; i < (*want)[0].size(); ++i) {
      ASSERT_NEAR((*got)[0].data[i], (*want)[0].data[i], 1e-5) << "batch " << batch << " value " << i;
    }
  }
}

}  // namespace
}  // namespace facetag::nn
