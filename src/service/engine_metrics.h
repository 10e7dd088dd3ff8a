// The engines' stage times as the service's metrics: facetag_model_latency_seconds per net and,
// where an engine runs the descriptor net itself, the batch size and the descriptors counted.
// With the batcher, those two come from the batcher, which sees the real batches.
#pragma once

#include "facetag/engine.h"
#include "service/metrics.h"

namespace facetag::service {

class EngineMetrics final : public StageObserver {
 public:
  EngineMetrics(Metrics* metrics, bool batched_descriptors)
      : metrics_(metrics), batched_(batched_descriptors) {}
  void StageDone(EngineStage stage, double seconds, size_t faces) override;

 private:
  Metrics* metrics_;
  bool batched_;
};

}  // namespace facetag::service
