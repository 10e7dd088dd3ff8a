#include "service/pixel_budget.h"

#include <algorithm>

namespace facetag::service {

std::optional<PixelBudget::Lease> PixelBudget::Acquire(uint64_t pixels,
                                                       std::chrono::steady_clock::time_point deadline) {
  const uint64_t n = std::min(pixels, capacity_);
  std::unique_lock lock(mu_);
  if (!freed_.wait_until(lock, deadline, [&] { return used_ + n <= capacity_; })) return std::nullopt;
  used_ += n;
  return std::optional<Lease>(std::in_place, this, n);
}

uint64_t PixelBudget::in_use() const {
  std::lock_guard lock(mu_);
  return used_;
}

void PixelBudget::Release(uint64_t pixels) {
  {
    std::lock_guard lock(mu_);
    used_ -= pixels;
  }
  freed_.notify_all();
}

}  // namespace facetag::service
