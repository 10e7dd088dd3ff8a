// Batches descriptor work across concurrent requests: engine workers hand over their faces'
// aligned crops and wait; one thread runs the recognition net on every crop waiting (up to 16
// per run), so concurrent requests share net runs. The crops are laid side by side on one
// canvas with their regions moved along, so each face sees exactly the pixels it would have
// seen alone: descriptors are identical to unbatched ones.
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
                                                         nn::Backend backend, int shards, Metrics* metrics);
  ~DescriptorBatcher();
  // Descriptors of `regions` (face-api crops of the alignment boxes) of `image`; blocks.
  Result<std::vector<Embedding>> Describe(const Image& image, const std::vector<face::Region>& regions);
  float match_threshold() const { return embedder_->match_threshold(); }

 private:
  struct Pending {
    std::vector<Image> crops;
    std::promise<Result<std::vector<Embedding>>> done;
  };
  DescriptorBatcher(std::unique_ptr<face::FaceEmbedder> embedder, Metrics* metrics);
  void Loop();
  void RunBatch(std::vector<std::unique_ptr<Pending>>& batch);

  std::unique_ptr<face::FaceEmbedder> embedder_;
  Metrics* metrics_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Pending>> pending_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace facetag::service
