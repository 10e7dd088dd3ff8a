// The head's catalog: one connection, the cluster's single writer, shared by the result
// applier and the request handlers under a mutex.
#pragma once

#include <memory>
#include <mutex>

#include "facetag/catalog.h"

namespace facetag::cluster {

struct GuardedCatalog {
  std::mutex mu;
  std::unique_ptr<Catalog> catalog;
};

}  // namespace facetag::cluster
