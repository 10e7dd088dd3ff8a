// A small Prometheus registry: counters, gauges and histograms with labels, written in the text
// exposition format. Thread-safe; cheap enough to update on every request.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace facetag::service {

class Metrics {
 public:
  // `labels` is the rendered label set, e.g. route="/healthz",status="200" (empty: none).
  void Add(const std::string& name, const std::string& labels, double value = 1);
  void Set(const std::string& name, const std::string& labels, double value);
  void Observe(const std::string& name, const std::string& labels, double value);
  // Declares a metric's type and help, so it is exposed (at zero) before its first update.
  void Declare(const std::string& name, const std::string& type, const std::string& help,
               std::vector<double> buckets = {});
  std::string Exposition() const;

 private:
  struct Histogram {
    std::vector<uint64_t> counts;  // per bucket (not cumulative), last = +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  struct Family {
    std::string type, help;
    std::vector<double> buckets;
    std::map<std::string, double> values;
    std::map<std::string, Histogram> histograms;
  };
  Family& Get(const std::string& name);
  mutable std::mutex mu_;
  std::map<std::string, Family> families_;
};

// Label value escaping per the exposition format.
std::string LabelValue(const std::string& value);

}  // namespace facetag::service
