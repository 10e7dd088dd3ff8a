// The head's side of the results stream: each result is committed to the catalog, then acked.
// A head that dies between the two re-applies the result on restart, which the catalog takes
// as known content (no duplicate faces).
#pragma once

#include <atomic>
#include <thread>

#include "cluster/guarded_catalog.h"
#include "cluster/nats_connection.h"

namespace facetag::cluster {

class ResultApplier {
 public:
  ResultApplier(NatsConnection& conn, GuardedCatalog& catalog) : conn_(conn), catalog_(catalog) {}
  ~ResultApplier() { Stop(); }
  Status Start();
  void Stop();
  int64_t applied() const { return applied_.load(); }

 private:
  void Loop();
  void Apply(natsMsg* msg);

  NatsConnection& conn_;
  GuardedCatalog& catalog_;
  natsSubscription* sub_ = nullptr;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> applied_{0};
  std::thread thread_;
};

}  // namespace facetag::cluster
