// The head's catalog connection for `facetag index --head` clients, shared by the result
// applier and the request handlers under a mutex. The HTTP service's own index writes through a
// connection of its own to the same file: SQLite (WAL) takes one writer at a time, and each
// photo is one transaction either way.
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
