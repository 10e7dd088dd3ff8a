// Runs fn(i) for every i in [0, count) on up to `threads` threads, handing indices out in chunks
// of `chunk`. Each index must write only its own output slot, so results do not depend on the
// thread count. A worker's exception (bad_alloc) stops the others and is rethrown on the calling
// thread, where the caller turns it into a Status.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace facetag::people {

template <typename Fn>
void ParallelFor(size_t count, int threads, size_t chunk, Fn fn) {
  // Below a few chunks, starting threads costs more than it saves.
  if (threads <= 1 || count < 2 * chunk) {
    for (size_t i = 0; i < count; ++i) fn(i);
    return;
  }
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr failure;
  auto worker = [&] {
    try {
      while (!failed) {
        const size_t begin = next.fetch_add(chunk);
        if (begin >= count) return;
        const size_t end = std::min(count, begin + chunk);
        for (size_t i = begin; i < end; ++i) fn(i);
      }
    } catch (...) {
      if (!failed.exchange(true)) failure = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace facetag::people
