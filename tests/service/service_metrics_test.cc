// The service's metrics (service/service_metrics.h): every one is exposed from the start, a
// head adds the cluster's gauges, and a scrape refreshes the queue and cluster gauges.
#include "service/service_metrics.h"

#include <gtest/gtest.h>

namespace facetag::service {
namespace {

bool Exposes(const Metrics& m, const std::string& line) {
  return m.Exposition().find(line) != std::string::npos;
}

TEST(ServiceMetrics, EveryMetricIsExposedBeforeItsFirstUpdate) {
  Metrics m;
  DeclareServiceMetrics(m, /*is_head=*/false);
  for (const std::string name :
       {"facetag_http_requests_total", "facetag_http_request_duration_seconds",
        "facetag_faces_detected_total", "facetag_descriptors_total", "facetag_recognitions_total",
        "facetag_remote_recognitions_total", "facetag_remote_failures_total", "facetag_queue_depth",
        "facetag_queue_capacity", "facetag_batch_size", "facetag_model_latency_seconds",
        "facetag_rejected_requests_total", "facetag_index_files_done", "facetag_index_files_total"})
    EXPECT_TRUE(Exposes(m, "# TYPE " + name + " ")) << name << "\n" << m.Exposition();
  EXPECT_FALSE(Exposes(m, "facetag_cluster_workers"));
}

TEST(ServiceMetrics, AHeadAlsoExposesTheClusterGauges) {
  Metrics m;
  DeclareServiceMetrics(m, /*is_head=*/true);
  EXPECT_TRUE(Exposes(m, "# TYPE facetag_cluster_workers gauge")) << m.Exposition();
  EXPECT_TRUE(Exposes(m, "# TYPE facetag_cluster_queue_depth gauge")) << m.Exposition();
}

TEST(ServiceMetrics, AScrapeSetsTheQueueGauges) {
  Metrics m;
  DeclareServiceMetrics(m, false);
  RefreshQueueGauges(m, 3, 64);
  EXPECT_TRUE(Exposes(m, "\nfacetag_queue_depth 3\n")) << m.Exposition();
  EXPECT_TRUE(Exposes(m, "\nfacetag_queue_capacity 64\n")) << m.Exposition();
}

TEST(ServiceMetrics, TheClusterGaugesComeFromTheHeadsStatus) {
  Metrics m;
  DeclareServiceMetrics(m, true);
  RefreshClusterGauges(
      m, {{"workers", nlohmann::json::array({{{"name", "a"}}, {{"name", "b"}}})}, {"queue_depth", 5}});
  EXPECT_TRUE(Exposes(m, "\nfacetag_cluster_workers 2\n")) << m.Exposition();
  EXPECT_TRUE(Exposes(m, "\nfacetag_cluster_queue_depth 5\n")) << m.Exposition();
}

TEST(ServiceMetrics, AnUnreadableClusterStatusLeavesTheGaugesAsTheyWere) {
  Metrics m;
  DeclareServiceMetrics(m, true);
  RefreshClusterGauges(m, {{"workers", nlohmann::json::array({{{"name", "a"}}})}, {"queue_depth", 1}});
  RefreshClusterGauges(m, nullptr);
  RefreshClusterGauges(m, nlohmann::json::array());
  EXPECT_TRUE(Exposes(m, "\nfacetag_cluster_workers 1\n")) << m.Exposition();
  EXPECT_TRUE(Exposes(m, "\nfacetag_cluster_queue_depth 1\n")) << m.Exposition();
}

}  // namespace
}  // namespace facetag::service
