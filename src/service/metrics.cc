#include "service/metrics.h"

#include <algorithm>
#include <cstdio>

namespace facetag::service {

std::string LabelValue(const std::string& value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

Metrics::Family& Metrics::Get(const std::string& name) {
  auto& f = families_[name];
  if (f.type.empty()) f.type = "gauge";
  return f;
}

void Metrics::Declare(const std::string& name, const std::string& type, const std::string& help,
                      std::vector<double> buckets) {
  std::lock_guard lock(mu_);
  auto& f = families_[name];
  f.type = type;
  f.help = help;
  f.buckets = std::move(buckets);
}

void Metrics::Add(const std::string& name, const std::string& labels, double value) {
  std::lock_guard lock(mu_);
  Get(name).values[labels] += value;
}

void Metrics::Set(const std::string& name, const std::string& labels, double value) {
  std::lock_guard lock(mu_);
  Get(name).values[labels] = value;
}

void Metrics::Observe(const std::string& name, const std::string& labels, double value) {
  std::lock_guard lock(mu_);
  Family& f = Get(name);
  Histogram& h = f.histograms[labels];
  if (h.counts.empty()) h.counts.assign(f.buckets.size() + 1, 0);
  const size_t i = std::lower_bound(f.buckets.begin(), f.buckets.end(), value) - f.buckets.begin();
  ++h.counts[i];
  h.sum += value;
  ++h.count;
}

namespace {

std::string Number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string WithLabels(const std::string& name, const std::string& labels, const std::string& extra = {}) {
  std::string all = labels;
  if (!extra.empty()) all += (all.empty() ? "" : ",") + extra;
  return all.empty() ? name : name + "{" + all + "}";
}

}  // namespace

std::string Metrics::Exposition() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [name, f] : families_) {
    if (!f.help.empty()) out += "# HELP " + name + " " + f.help + "\n";
    out += "# TYPE " + name + " " + f.type + "\n";
    if (f.type == "histogram") {
      for (const auto& [labels, h] : f.histograms) {
        uint64_t cumulative = 0;
        for (size_t i = 0; i < f.buckets.size(); ++i) {
          cumulative += h.counts[i];
          out += WithLabels(name + "_bucket", labels, "le=\"" + Number(f.buckets[i]) + "\"") + " " +
                 std::to_string(cumulative) + "\n";
        }
        out += WithLabels(name + "_bucket", labels, "le=\"+Inf\"") + " " + std::to_string(h.count) + "\n";
        out += WithLabels(name + "_sum", labels) + " " + Number(h.sum) + "\n";
        out += WithLabels(name + "_count", labels) + " " + std::to_string(h.count) + "\n";
      }
      continue;
    }
    if (f.values.empty() && f.type != "histogram") out += name + " 0\n";
    for (const auto& [labels, v] : f.values) out += WithLabels(name, labels) + " " + Number(v) + "\n";
  }
  return out;
}

}  // namespace facetag::service
