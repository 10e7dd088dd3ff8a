// libFuzzer entry point for the image decoders. Any crash, sanitizer report, or broken invariant
// of a successful decode is a finding; errors as values are the expected outcome for most inputs.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "facetag/image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  facetag::DecodeOptions options;
  // Small enough that every allowed image fits easily under libFuzzer's -rss_limit_mb=2048.
  options.max_pixels = 16'000'000;
  // Exercise full-size and DCT-scaled JPEG paths without spending input bytes on options.
  options.min_long_side = static_cast<int>(size % 4) * 64;
  const auto result = facetag::DecodeImage(std::span<const uint8_t>(data, size), options);
  if (!result.ok()) return 0;

  const facetag::DecodedImage& d = result.value();
  const facetag::Image& img = d.image;
  const bool consistent =
      img.width > 0 && img.height > 0 &&
      img.rgb.size() == static_cast<size_t>(img.width) * static_cast<size_t>(img.height) * 3 &&
      static_cast<uint64_t>(d.full_width) * static_cast<uint64_t>(d.full_height) <= options.max_pixels &&
      img.width <= d.full_width && img.height <= d.full_height && d.orientation >= 1 && d.orientation <= 8 &&
      (d.scale == 1.0 || d.scale == 0.5 || d.scale == 0.25 || d.scale == 0.125) &&
      // Long sides agree with the scale (TurboJPEG rounds scaled sizes up).
      static_cast<int>(d.full_width * d.scale + 0.999999) == img.width &&
      static_cast<int>(d.full_height * d.scale + 0.999999) == img.height;
  if (!consistent) std::abort();
  return 0;
}
