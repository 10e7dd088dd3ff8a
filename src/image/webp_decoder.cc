// WebP through libwebp: features (header) first, then a decode straight into our buffer.
#include <webp/decode.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "image/decoders.h"

namespace facetag::image_internal {
namespace {

uint32_t ReadLe32(const uint8_t* p) {
  return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}

// The EXIF chunk of an extended (VP8X) file; libwebp's decoder ignores metadata, and pulling in
// libwebpmux for one chunk walk is not worth it.
std::span<const uint8_t> FindExifChunk(std::span<const uint8_t> b) {
  if (b.size() < 12) return {};
  const uint64_t riff_end = std::min<uint64_t>(uint64_t{ReadLe32(b.data() + 4)} + 8, b.size());
  uint64_t pos = 12;
  while (pos + 8 <= riff_end) {
    const uint64_t size = ReadLe32(b.data() + pos + 4);
    const uint64_t payload = pos + 8;
    if (size > riff_end - payload) break;
    if (std::memcmp(b.data() + pos, "EXIF", 4) == 0) return b.subspan(payload, size);
    pos = payload + size + (size & 1);  // chunks are padded to even sizes
  }
  return {};
}

Status WebpError(VP8StatusCode status, const char* stage) {
  switch (status) {
    case VP8_STATUS_NOT_ENOUGH_DATA:
      return Corrupt(std::string("truncated WebP data (") + stage + ")");
    case VP8_STATUS_UNSUPPORTED_FEATURE:
      return Unsupported(std::string("unsupported WebP feature (") + stage + ")");
    case VP8_STATUS_OUT_OF_MEMORY:
      return Internal(std::string("out of memory decoding WebP (") + stage + ")");
    case VP8_STATUS_BITSTREAM_ERROR:
      return Corrupt(std::string("corrupt WebP bitstream (") + stage + ")");
    default:
      return Corrupt(std::string("invalid WebP data (") + stage + ", status " + std::to_string(status) + ")");
  }
}

}  // namespace

Result<RawImage> DecodeWebp(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  WebPDecoderConfig config;
  if (!WebPInitDecoderConfig(&config)) return Internal("libwebp version mismatch");
  VP8StatusCode status = WebPGetFeatures(bytes.data(), bytes.size(), &config.input);
  if (status != VP8_STATUS_OK) return WebpError(status, "header");
  if (config.input.has_animation) return Unsupported("animated WebP is not supported");
  FACETAG_RETURN_IF_ERROR(CheckDimensions("WebP", config.input.width, config.input.height, options));
  FACETAG_RETURN_IF_ERROR(CheckDecodedPixels("WebP", config.input.width, config.input.height, options));

  RawImage raw;
  AllocateImage(raw.image, config.input.width, config.input.height);
  // MODE_RGB simply drops alpha, which is what face-api.js does too.
  config.output.colorspace = MODE_RGB;
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba = raw.image.rgb.data();
  config.output.u.RGBA.stride = raw.image.width * 3;
  config.output.u.RGBA.size = raw.image.rgb.size();
  status = WebPDecode(bytes.data(), bytes.size(), &config);
  const bool size_matches =
      config.output.width == raw.image.width && config.output.height == raw.image.height;
  WebPFreeDecBuffer(&config.output);
  if (status != VP8_STATUS_OK) return WebpError(status, "pixels");
  if (!size_matches) return Corrupt("WebP frame size differs from its header");

  const std::span<const uint8_t> exif = FindExifChunk(bytes);
  raw.exif.assign(exif.begin(), exif.end());
  raw.full_width = raw.image.width;
  raw.full_height = raw.image.height;
  return raw;
}

}  // namespace facetag::image_internal
