#include "service/descriptor_batcher.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "face/faceapi/alignment.h"
#include "face/faceapi/recognition_net.h"

namespace facetag::service {
namespace {

constexpr size_t kMaxFacesPerRun = 16;           // as RunFaceBatches batches
constexpr size_t kMaxCanvasPixels = 16'000'000;  // bounds the canvas of a batch of big faces

Image CropOf(const Image& image, const face::Region& r) {
  Image crop;
  crop.width = r.width;
  crop.height = r.height;
  crop.rgb.resize(static_cast<size_t>(r.width) * r.height * 3);
  for (int y = 0; y < r.height; ++y)
    std::memcpy(crop.row(y), image.row(r.y + y) + static_cast<size_t>(r.x) * 3,
                static_cast<size_t>(r.width) * 3);
  return crop;
}

// Embed(image, alignment boxes) as the batcher's Describe of the face-api crops of those boxes:
// the pixels the recognition net would crop itself.
class BatchedEmbedder final : public face::FaceEmbedder {
 public:
  BatchedEmbedder(DescriptorBatcher* batcher, int dimension) : batcher_(batcher), dimension_(dimension) {}
  int dimension() const override { return dimension_; }
  Result<std::vector<Embedding>> Embed(const Image& image, std::span<const Box> boxes) override {
    std::vector<face::Region> crops;
    for (const Box& box : boxes) {
      auto crop = face::FaceApiCrop(box, image.width, image.height);
      if (!crop) return InvalidArgument("a face's descriptor region is outside the image");
      crops.push_back(*crop);
    }
    return batcher_->Describe(image, crops);
  }

 private:
  DescriptorBatcher* batcher_;
  int dimension_;
};

}  // namespace

std::unique_ptr<face::FaceEmbedder> DescriptorBatcher::NewEmbedder() {
  return std::make_unique<BatchedEmbedder>(this, embedders_.front()->dimension());
}

Result<std::unique_ptr<DescriptorBatcher>> DescriptorBatcher::Open(const std::filesystem::path& model_dir,
                                                                   nn::Runner runner, int runners,
                                                                   Metrics* metrics) {
  std::vector<std::unique_ptr<face::FaceEmbedder>> embedders;
  for (int i = 0; i < std::max(1, runners); ++i) {
    // One embedder per batcher thread, each on one core.
    auto embedder = face::OpenFaceApiEmbedder(model_dir, runner.backend, 1, runner.precision, 1);
    if (!embedder.ok()) return embedder.status();
    embedders.push_back(std::move(*embedder));
  }
  return std::unique_ptr<DescriptorBatcher>(new DescriptorBatcher(std::move(embedders), metrics));
}

DescriptorBatcher::DescriptorBatcher(std::vector<std::unique_ptr<face::FaceEmbedder>> embedders,
                                     Metrics* metrics)
    : embedders_(std::move(embedders)), metrics_(metrics) {
  for (auto& embedder : embedders_) runners_.emplace_back([this, e = embedder.get()] { Loop(*e); });
}

DescriptorBatcher::~DescriptorBatcher() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& runner : runners_) runner.join();
}

Result<std::vector<Embedding>> DescriptorBatcher::Describe(const Image& image,
                                                           const std::vector<face::Region>& regions) {
  if (regions.empty()) return std::vector<Embedding>{};
  auto p = std::make_unique<Pending>();
  for (const auto& r : regions) {
    if (r.x < 0 || r.y < 0 || r.width <= 0 || r.height <= 0 || r.x + r.width > image.width ||
        r.y + r.height > image.height)
      return InvalidArgument("descriptor region outside the image");
    p->crops.push_back(CropOf(image, r));
  }
  auto result = p->done.get_future();
  {
    std::lock_guard lock(mu_);
    if (stopping_) return Internal("the service is stopping");
    pending_.push_back(std::move(p));
  }
  cv_.notify_one();
  return result.get();
}

void DescriptorBatcher::Loop(face::FaceEmbedder& embedder) {
  while (true) {
    std::vector<std::unique_ptr<Pending>> batch;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) return;
      size_t faces = 0, pixels = 0;
      while (!pending_.empty()) {
        const auto& next = pending_.front();
        size_t next_pixels = 0;
        for (const auto& c : next->crops) next_pixels += static_cast<size_t>(c.width) * c.height;
        if (!batch.empty() &&
            (faces + next->crops.size() > kMaxFacesPerRun || pixels + next_pixels > kMaxCanvasPixels))
          break;
        faces += next->crops.size();
        pixels += next_pixels;
        batch.push_back(std::move(pending_.front()));
        pending_.pop_front();
      }
    }
    RunBatch(embedder, batch);
  }
}

void DescriptorBatcher::RunBatch(face::FaceEmbedder& embedder, std::vector<std::unique_ptr<Pending>>& batch) {
  // One canvas, crops side by side; each face's region is its cell.
  Image canvas;
  for (const auto& p : batch) {
    for (const auto& c : p->crops) {
      canvas.width += c.width;
      canvas.height = std::max(canvas.height, c.height);
    }
  }
  canvas.rgb.assign(static_cast<size_t>(canvas.width) * canvas.height * 3, 0);
  std::vector<Box> regions;
  int x = 0;
  for (const auto& p : batch) {
    for (const auto& c : p->crops) {
      for (int y = 0; y < c.height; ++y)
        std::memcpy(canvas.row(y) + static_cast<size_t>(x) * 3, c.row(y), static_cast<size_t>(c.width) * 3);
      regions.push_back(
          {static_cast<float>(x), 0.f, static_cast<float>(c.width), static_cast<float>(c.height)});
      x += c.width;
    }
  }
  const auto t0 = std::chrono::steady_clock::now();
  auto embeddings = embedder.Embed(canvas, regions);
  metrics_->Observe("facetag_model_latency_seconds", "model=\"descriptor\"",
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  metrics_->Observe("facetag_batch_size", "", static_cast<double>(regions.size()));
  if (embeddings.ok()) metrics_->Add("facetag_descriptors_total", "", static_cast<double>(regions.size()));
  size_t i = 0;
  for (auto& p : batch) {
    if (!embeddings.ok()) {
      p->done.set_value(embeddings.status());
      continue;
    }
    std::vector<Embedding> mine;
    for (size_t k = 0; k < p->crops.size(); ++k) mine.push_back(std::move((*embeddings)[i++]));
    p->done.set_value(std::move(mine));
  }
}

}  // namespace facetag::service
