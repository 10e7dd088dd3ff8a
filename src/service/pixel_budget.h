// How many pixels the service may be decoding at once, across requests. The per-request limit
// (ServeOptions::max_decoded_pixels) bounds one request; without this, as many big images as
// there are engine workers decode at the same time (four 49 MP PNGs: ~600 MB at once). A decode
// waits here, before allocating, until its pixels fit; small images pass while a big one waits.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>

namespace facetag::service {

class PixelBudget {
 public:
  explicit PixelBudget(uint64_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}
  PixelBudget(const PixelBudget&) = delete;
  PixelBudget& operator=(const PixelBudget&) = delete;

  // Holds pixels of the budget until destroyed.
  class Lease {
   public:
    Lease(PixelBudget* budget, uint64_t pixels) : budget_(budget), pixels_(pixels) {}
    Lease(Lease&& other) noexcept : budget_(other.budget_), pixels_(other.pixels_) {
      other.budget_ = nullptr;
    }
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease() {
      if (budget_) budget_->Release(pixels_);
    }

   private:
    PixelBudget* budget_;
    uint64_t pixels_;
  };

  // Waits until `pixels` fit (a request over the whole budget waits for all of it, so it runs
  // alone); nullopt when `deadline` passes first.
  std::optional<Lease> Acquire(uint64_t pixels, std::chrono::steady_clock::time_point deadline);
  uint64_t in_use() const;
  uint64_t capacity() const { return capacity_; }

 private:
  void Release(uint64_t pixels);
  const uint64_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable freed_;
  uint64_t used_ = 0;
};

}  // namespace facetag::service
