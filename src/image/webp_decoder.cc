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
  // libwebp scales while decoding (use_scaling): as JPEG, to the smallest of 1/2, 1/4, 1/8 whose
  // longer side still reaches min_long_side, so that only what the nets need is allocated.
  int denom = 1;
  if (options.min_long_side > 0) {
    const int long_side = std::max(config.input.width, config.input.height);
    for (int d : {8, 4, 2}) {
      if ((long_side + d - 1) / d >= options.min_long_side) {
        denom = d;
        break;
      }
    }
  }
  const int out_w = (config.input.width + denom - 1) / denom;
  const int out_h = (config.input.height + denom - 1) / denom;
  FACETAG_RETURN_IF_ERROR(CheckDecodedPixels("WebP", out_w, out_h, options));

  RawImage raw;
  AllocateImage(raw.image, out_w, out_h);
  if (denom > 1) {
    config.options.use_scaling = 1;
    config.options.scaled_width = out_w;
    config.options.scaled_height = out_h;
  }
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
  raw.full_width = config.input.width;
  raw.full_height = config.input.height;
  raw.scale = 1.0 / denom;
  return raw;
}

}  // namespace facetag::image_internal
