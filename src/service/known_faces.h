// Who a new face is: the catalog's assigned faces kept in memory as one matrix, so a
// recognition is a scan of floats, not a SQL query. Reloaded when the catalog changes (the
// service invalidates it on its own writes; other writers are noticed through the corrections
// version and the face counts). Same rule as IdentifyFaces (`facetag whois`): nearest assigned
// face of a named, visible person within max_distance, and faces of one photo get different
// persons (the closer keeps it).
#pragma once

#include <atomic>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "facetag/catalog.h"
#include "facetag/people.h"

namespace facetag::service {

struct Named {
  int64_t person_id = 0;  // 0: nobody
  std::string name;
  float distance = 0;
  // To the nearest face of anyone who could have been named (whether named or not); infinity
  // when the catalog has nobody to compare with. Recorded in the events of unknown faces.
  float nearest = std::numeric_limits<float>::infinity();
};

class KnownFaces {
 public:
  explicit KnownFaces(std::unique_ptr<Catalog> catalog, IdentifyOptions options = {})
      : catalog_(std::move(catalog)), options_(options) {}
  void Invalidate() { stale_ = true; }
  // Checks the catalog for changes made by other processes (cheap; call every few seconds).
  void Poll();
  Result<std::vector<Named>> Identify(const std::vector<Embedding>& embeddings);
  float max_distance() const { return options_.max_distance; }

 private:
  struct Snapshot {
    int dim = 0;
    std::vector<float> vectors;                      // rows of dim
    std::vector<int64_t> person_of;                  // per row
    std::unordered_map<int64_t, std::string> names;  // eligible persons
  };
  Result<std::shared_ptr<const Snapshot>> Current();
  std::mutex mu_;  // guards catalog_, snapshot_, signature_
  std::unique_ptr<Catalog> catalog_;
  IdentifyOptions options_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::atomic<bool> stale_{true};
  std::string signature_;
};

}  // namespace facetag::service
