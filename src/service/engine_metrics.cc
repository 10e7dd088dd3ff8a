#include "service/engine_metrics.h"

namespace facetag::service {

void EngineMetrics::StageDone(EngineStage stage, double seconds, size_t faces) {
  constexpr const char* kLatency = "facetag_model_latency_seconds";
  switch (stage) {
    case EngineStage::kDetect:
      metrics_->Observe(kLatency, "model=\"detector\"", seconds);
      return;
    case EngineStage::kLandmarks:
      metrics_->Observe(kLatency, "model=\"landmarks\"", seconds);
      return;
    case EngineStage::kDescribe:
      if (batched_) return;
      metrics_->Observe(kLatency, "model=\"descriptor\"", seconds);
      metrics_->Observe("facetag_batch_size", "", static_cast<double>(faces));
      metrics_->Add("facetag_descriptors_total", "", static_cast<double>(faces));
      return;
  }
}

}  // namespace facetag::service
