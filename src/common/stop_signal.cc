#include "facetag/stop_signal.h"

#include <csignal>

namespace facetag {
namespace {

std::atomic<bool> g_signalled{false};
extern "C" void OnStopSignal(int) { g_signalled.store(true); }

}  // namespace

const std::atomic<bool>* StopFlagOrSignals(const std::atomic<bool>* stop) {
  if (stop != nullptr) return stop;
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  return &g_signalled;
}

}  // namespace facetag
