// What the head answers over NATS besides results: index clients asking which photos are
// catalogued (and recording known content at new paths), asking it to finish an index (mark
// missing files, group new faces), and JetStream telling it a job ran out of deliveries.
#pragma once

#include "cluster/guarded_catalog.h"
#include "cluster/nats_connection.h"
#include "facetag/people.h"

namespace facetag::cluster {

class HeadRequests {
 public:
  HeadRequests(NatsConnection& conn, GuardedCatalog& catalog, GroupingOptions grouping)
      : conn_(conn), catalog_(catalog), grouping_(std::move(grouping)) {}
  ~HeadRequests();
  Status Start();

 private:
  static void OnCheck(natsConnection*, natsSubscription*, natsMsg* msg, void* self);
  static void OnFinish(natsConnection*, natsSubscription*, natsMsg* msg, void* self);
  static void OnMaxDeliveries(natsConnection*, natsSubscription*, natsMsg* msg, void* self);
  void Reply(natsMsg* msg, const std::string& text);

  NatsConnection& conn_;
  GuardedCatalog& catalog_;
  GroupingOptions grouping_;
  std::vector<natsSubscription*> subs_;
};

}  // namespace facetag::cluster
