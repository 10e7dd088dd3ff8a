// Splits a batch across several copies of one net, run side by side on their own threads.
#include "nn/sharded_session.h"

#include <algorithm>
#include <thread>

namespace facetag::nn {
namespace {

class ShardedSession final : public InferenceSession {
 public:
  explicit ShardedSession(std::vector<std::unique_ptr<InferenceSession>> shards)
      : shards_(std::move(shards)) {}

  Result<std::vector<Tensor>> Run(const Tensor& input) override {
    const int batch = input.shape.empty() ? 0 : input.shape[0];
    const int parts = std::min<int>(static_cast<int>(shards_.size()), batch);
    if (parts <= 1) return shards_[0]->Run(input);

    // Part p takes items [begin[p], begin[p + 1]), as even as the batch allows.
    std::vector<int> begin(parts + 1);
    for (int p = 0; p <= parts; ++p) begin[p] = batch * p / parts;
    const size_t item = input.size() / static_cast<size_t>(batch);
    std::vector<Result<std::vector<Tensor>>> results(parts, Internal("shard did not run"));
    auto run_part = [&](int p) {
      std::vector<int> shape = input.shape;
      shape[0] = begin[p + 1] - begin[p];
      Tensor slice(shape);
      std::copy_n(input.data.begin() + static_cast<std::ptrdiff_t>(item * begin[p]), slice.size(),
                  slice.data.begin());
      results[p] = shards_[p]->Run(slice);
    };
    std::vector<std::thread> threads;
    for (int p = 1; p < parts; ++p) threads.emplace_back(run_part, p);
    run_part(0);
    for (auto& t : threads) t.join();

    // Stitch each output back together along the batch dimension.
    for (const auto& r : results) {
      if (!r.ok()) return r.status();
    }
    std::vector<Tensor> out;
    for (size_t o = 0; o < results[0]->size(); ++o) {
      std::vector<int> shape = (*results[0])[o].shape;
      shape[0] = batch;
      Tensor joined(shape);
      size_t at = 0;
      for (const auto& r : results) {
        const Tensor& part = (*r)[o];
        std::copy(part.data.begin(), part.data.end(), joined.data.begin() + static_cast<std::ptrdiff_t>(at));
        at += part.size();
      }
      out.push_back(std::move(joined));
    }
    return out;
  }

 private:
  std::vector<std::unique_ptr<InferenceSession>> shards_;
};

}  // namespace

std::unique_ptr<InferenceSession> MakeShardedSession(std::vector<std::unique_ptr<InferenceSession>> shards) {
  return std::make_unique<ShardedSession>(std::move(shards));
}

}  // namespace facetag::nn
