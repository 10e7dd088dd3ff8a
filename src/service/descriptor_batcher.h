// Batches descriptor work across concurrent requests: engine workers hand over their faces'
// aligned crops and wait; runner threads, each with its own copy of the recognition net, take
// every crop waiting (up to 16 per run), so concurrent requests share net runs. One runner per
// core: a single runner capped the service at one core's worth of descriptors (~90
// recognitions/s here, docs/BENCHMARKS.md). The crops are laid side by side on one
// canvas with their regions moved along, so each face sees exactly the pixels it would have
// seen alone: descriptors are identical to unbatched ones
// (DescriptorBatcher.BatchedDescriptorsEqualUnbatchedOnes).
#pragma once

#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "face/embedder.h"
#include "face/preprocess.h"
#include "nn/session.h"
#include "service/metrics.h"

namespace facetag::service {

class DescriptorBatcher {
 public:
  static Result<std::unique_ptr<DescriptorBatcher>> Open(const std::filesystem::path& model_dir,
                                                         nn::Runner runner, int runners, Metrics* metrics);
  ~DescriptorBatcher();
  // Descriptors of `regions` (face-api crops of the alignment boxes) of `image`; blocks.
  Result<std::vector<Embedding>> Describe(const Image& image, const std::vector<face::Region>& regions);
  // An embedder that hands its faces to this batcher: one per engine (pipeline::EngineSeams), so
  // that an engine describes faces batched without knowing it. The batcher must outlive it.
  std::unique_ptr<face::FaceEmbedder> NewEmbedder();

 private:
  struct Pending {
    std::vector<Image> crops;
    std::promise<Result<std::vector<Embedding>>> done;
  };
  DescriptorBatcher(std::vector<std::unique_ptr<face::FaceEmbedder>> embedders, Metrics* metrics);
  void Loop(face::FaceEmbedder& embedder);
  void RunBatch(face::FaceEmbedder& embedder, std::vector<std::unique_ptr<Pending>>& batch);

  std::vector<std::unique_ptr<face::FaceEmbedder>> embedders_;  // one per runner
  Metrics* metrics_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Pending>> pending_;
  bool stopping_ = false;
  std::vector<std::thread> runners_;
};

}  // namespace facetag::service
