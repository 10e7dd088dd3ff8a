// The stop flag of a long-running command: the caller's, or one set by SIGINT/SIGTERM.
#pragma once

#include <atomic>

namespace facetag {

// Returns `stop` when given, else a flag that SIGINT and SIGTERM set (handlers installed once).
const std::atomic<bool>* StopFlagOrSignals(const std::atomic<bool>* stop);

}  // namespace facetag
