// Private seam between the dispatcher (decode.cc) and the per-format decoders.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "facetag/image.h"
#include "facetag/status.h"

namespace facetag::image_internal {

enum class Format { kUnknown, kOther, kJpeg, kPng, kWebp, kHeif };

struct Sniffed {
  Format format = Format::kUnknown;
  // For kOther: what the bytes look like ("GIF", "TIFF", ...), so the error can say so.
  std::string name;
};

// Looks only at magic bytes; file names are never consulted.
Sniffed SniffFormat(std::span<const uint8_t> bytes);

// What a format decoder hands back. Orientation is left to the dispatcher so that every format
// shares one implementation of it.
struct RawImage {
  Image image;         // stored orientation, possibly reduced scale
  int full_width = 0;  // stored orientation, full resolution
  int full_height = 0;
  double scale = 1.0;
  // EXIF TIFF structure, with or without the "Exif\0\0" prefix; empty when there is none.
  std::vector<uint8_t> exif;
};

Result<RawImage> DecodeJpeg(std::span<const uint8_t> bytes, const DecodeOptions& options);
Result<RawImage> DecodePng(std::span<const uint8_t> bytes, const DecodeOptions& options);
Result<RawImage> DecodeWebp(std::span<const uint8_t> bytes, const DecodeOptions& options);
// The container's irot/imir/clap are already applied; EXIF is not returned for HEIF.
Result<RawImage> DecodeHeif(std::span<const uint8_t> bytes, const DecodeOptions& options);

// Every decoder calls this with the header's claim before it allocates pixel memory, so that a
// decompression bomb costs a header parse and nothing more.
Status CheckDimensions(std::string_view format, int64_t width, int64_t height, const DecodeOptions& options);

// Refuses to decode into more pixels than options.max_decoded_pixels (the size after any scaled
// decode, before it is allocated), then reserves them (options.reserve_pixels). Every decoder
// calls it once, just before allocating the decoded image.
Status CheckDecodedPixels(std::string_view format, int64_t width, int64_t height,
                          const DecodeOptions& options);

// Sizes `image` to width x height RGB. Only call after CheckDimensions accepted the size.
void AllocateImage(Image& image, int width, int height);

}  // namespace facetag::image_internal
