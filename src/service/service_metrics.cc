#include "service/service_metrics.h"

#include <vector>

namespace facetag::service {

void DeclareServiceMetrics(Metrics& m, bool is_head) {
  const std::vector<double> latency = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  m.Declare("facetag_http_requests_total", "counter", "HTTP requests by route, method and status");
  m.Declare("facetag_http_request_duration_seconds", "histogram", "HTTP request latency by route and status",
            latency);
  m.Declare("facetag_faces_detected_total", "counter", "Faces found in request images");
  m.Declare("facetag_descriptors_total", "counter", "Face descriptors computed");
  m.Declare("facetag_recognitions_total", "counter", "Images recognized");
  m.Declare("facetag_remote_recognitions_total", "counter",
            "Images /recognize had analysed by the cluster's workers");
  m.Declare("facetag_remote_failures_total", "counter",
            "Worker analyses that failed and were redone by this server's engine");
  m.Declare("facetag_queue_depth", "gauge", "Requests waiting for an engine");
  m.Declare("facetag_queue_capacity", "gauge", "Requests that may wait for an engine");
  m.Declare("facetag_batch_size", "histogram", "Descriptors per net run", {1, 2, 4, 8, 16, 32, 64});
  m.Declare("facetag_model_latency_seconds", "histogram", "Time in each net per run", latency);
  m.Declare("facetag_rejected_requests_total", "counter",
            "Requests refused (overloaded, timeout, too_large)");
  m.Declare("facetag_index_files_done", "gauge", "Files done by the running index");
  m.Declare("facetag_index_files_total", "gauge", "Files of the running index");
  if (is_head) {
    m.Declare("facetag_cluster_workers", "gauge", "Workers heartbeating to this head");
    m.Declare("facetag_cluster_queue_depth", "gauge", "Cluster jobs waiting for a worker");
  }
}

void RefreshQueueGauges(Metrics& m, int depth, int capacity) {
  m.Set("facetag_queue_depth", "", depth);
  m.Set("facetag_queue_capacity", "", capacity);
}

void RefreshClusterGauges(Metrics& m, const nlohmann::json& cluster_status) {
  if (!cluster_status.is_object()) return;
  const nlohmann::json& workers = cluster_status.value("workers", nlohmann::json::array());
  m.Set("facetag_cluster_workers", "", static_cast<double>(workers.size()));
  m.Set("facetag_cluster_queue_depth", "", cluster_status.value("queue_depth", 0.0));
}

}  // namespace facetag::service
