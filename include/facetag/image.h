// Decoding photos into RGB pixels in their displayed orientation.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "facetag/status.h"

namespace facetag {

// 8-bit RGB, interleaved, rows packed (stride = 3 * width).
struct Image {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgb;

  bool empty() const { return width == 0 || height == 0; }
  const uint8_t* row(int y) const { return rgb.data() + static_cast<size_t>(y) * width * 3; }
  uint8_t* row(int y) { return rgb.data() + static_cast<size_t>(y) * width * 3; }
};

struct DecodeOptions {
  // Refuse any image whose header claims more pixels than this, before allocating anything
  // (decompression bombs). 200 MP covers every camera sold today.
  uint64_t max_pixels = 200'000'000;
  // Refuse files larger than this before reading them.
  uint64_t max_file_bytes = 1ull << 30;
  // Refuse an image that would decode into more pixels than this (after JPEG's scaled decode),
  // before allocating them: what one decode may take is then bounded (3 bytes a pixel plus the
  // decoder's rows). 0: max_pixels alone. The service sets it; a library index does not.
  uint64_t max_decoded_pixels = 0;
  // Called, when set, with the pixels a decode is about to allocate (after the limits above
  // accepted them, before allocating): the service waits there for its budget of pixels being
  // decoded at once. An error refuses the decode with that status.
  std::function<Status(uint64_t pixels)> reserve_pixels;
  // 0 decodes at full resolution. Otherwise a decoder that can (JPEG, WebP: 1/2, 1/4, 1/8) decodes at the
  // smallest scale whose longer side is still >= this many pixels.
  int min_long_side = 0;
  // Rotate/flip by the EXIF Orientation tag so pixels are as the photo is displayed.
  bool apply_orientation = true;
  // Also read when and where the photo was taken (DecodedImage::exif).
  bool read_exif_facts = false;
};

// When and where a photo was taken, as its EXIF says (JPEG, PNG and WebP; not HEIF).
struct PhotoExif {
  std::string taken;  // DateTimeOriginal as "YYYY-MM-DDTHH:MM:SS", the camera's local time; empty: unknown
  bool has_location = false;
  double latitude = 0, longitude = 0;  // degrees, north and east positive
};

struct DecodedImage {
  Image image;         // displayed orientation, possibly at reduced scale
  int full_width = 0;  // displayed orientation, full resolution
  int full_height = 0;
  double scale = 1.0;   // image.width / full_width (1, 1/2, 1/4 or 1/8)
  int orientation = 1;  // EXIF orientation that was found (1..8; 1 when absent)
  std::string format;   // "jpeg", "png", "webp", "heif"
  PhotoExif exif;       // only with DecodeOptions::read_exif_facts
};

// Sniffs the format from the bytes (never from a file name).
Result<DecodedImage> DecodeImage(std::span<const uint8_t> bytes, const DecodeOptions& options = {});
Result<DecodedImage> DecodeImageFile(const std::filesystem::path& path, const DecodeOptions& options = {});

}  // namespace facetag
