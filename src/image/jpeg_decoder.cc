// JPEG through TurboJPEG: header-first size check, DCT-domain downscaling, CMYK/YCCK, and
// strictness about truncated data.
#include <turbojpeg.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstring>
#include <memory>
#include <string>

#include "image/decoders.h"

namespace facetag::image_internal {
namespace {

struct TjDeleter {
  void operator()(void* handle) const { tjDestroy(handle); }
};
using TjHandle = std::unique_ptr<void, TjDeleter>;

// What TurboJPEG does not tell us, read straight from the marker segments before the first scan.
struct JpegMarkers {
  std::span<const uint8_t> exif;  // APP1 payload, starting with "Exif\0\0"
  bool adobe = false;             // APP14 "Adobe": CMYK samples are stored inverted
  int components = 0;             // from SOFn
  size_t first_scan = 0;          // offset of the first SOS marker, 0 if none was reached
};

JpegMarkers ScanMarkers(std::span<const uint8_t> b) {
  JpegMarkers m;
  size_t pos = 2;  // after SOI
  while (pos + 4 <= b.size()) {
    if (b[pos] != 0xFF) break;  // not a marker: leave the verdict to libjpeg
    const uint8_t marker = b[pos + 1];
    if (marker == 0xFF) {  // fill byte
      ++pos;
      continue;
    }
    if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {  // no length
      pos += 2;
      continue;
    }
    if (marker == 0xDA) {
      m.first_scan = pos;
      break;
    }
    if (marker == 0xD9) break;
    const size_t length = (size_t{b[pos + 2]} << 8) | b[pos + 3];
    if (length < 2 || pos + 2 + length > b.size()) break;
    const std::span<const uint8_t> payload = b.subspan(pos + 4, length - 2);
    if (marker == 0xE1 && m.exif.empty() && payload.size() >= 6 &&
        std::memcmp(payload.data(), "Exif\0\0", 6) == 0) {
      m.exif = payload;
    } else if (marker == 0xEE && payload.size() >= 12 && std::memcmp(payload.data(), "Adobe", 5) == 0) {
      m.adobe = true;
    } else if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC &&
               payload.size() >= 6) {
      m.components = payload[5];
    }
    pos += 2 + length;
  }
  return m;
}

// Entropy-coded data cannot contain FF D9 (a literal FF is stuffed as FF 00), so an EOI after the
// first scan means the stream was not cut short.
bool HasEndOfImage(std::span<const uint8_t> b, size_t first_scan) {
  if (first_scan == 0) return false;
  constexpr std::array<uint8_t, 2> kEoi = {0xFF, 0xD9};
  return std::search(b.begin() + static_cast<std::ptrdiff_t>(first_scan), b.end(), kEoi.begin(),
                     kEoi.end()) != b.end();
}

bool Contains(const std::string& haystack, const char* needle) {
  return haystack.find(needle) != std::string::npos;
}

Status JpegError(const std::string& message, const char* context) {
  if (Contains(message, "Premature end")) return Corrupt("truncated JPEG data (" + message + ")");
  // Features libjpeg-turbo lacks, as opposed to damage ("Unsupported marker type" is damage).
  for (const char* feature : {"Unsupported JPEG process", "Unsupported JPEG data precision",
                              "arithmetic coding is not supported", "Unsupported color conversion"}) {
    if (Contains(message, feature)) return Unsupported("unsupported JPEG: " + message);
  }
  if (message.rfind("Corrupt JPEG data", 0) == 0) return Corrupt(message);
  return Corrupt(std::string(context) + ": " + message);
}

struct Scale {
  int num;
  int denom;
};

Scale PickScale(int width, int height, int min_long_side) {
  if (min_long_side <= 0) return {1, 1};
  const int long_side = std::max(width, height);
  for (Scale s : {Scale{1, 8}, Scale{1, 4}, Scale{1, 2}}) {
    const tjscalingfactor f{s.num, s.denom};
    if (TJSCALED(long_side, f) >= min_long_side) return s;
  }
  return {1, 1};
}

// Adobe (Photoshop and everything that imitates it) writes CMYK inverted, 255 meaning no ink; a
// CMYK JPEG without the Adobe marker is taken at face value. No colour management: this is for
// face detection, not print proofing.
void CmykToRgb(const std::vector<uint8_t>& cmyk, bool inverted, Image& out) {
  const size_t pixels = static_cast<size_t>(out.width) * out.height;
  const uint8_t* src = cmyk.data();
  uint8_t* dst = out.rgb.data();
  for (size_t i = 0; i < pixels; ++i, src += 4, dst += 3) {
    const unsigned flip = inverted ? 0 : 255;
    const unsigned k = src[3] ^ flip;
    for (int c = 0; c < 3; ++c) dst[c] = static_cast<uint8_t>(((src[c] ^ flip) * k + 127) / 255);
  }
}

}  // namespace

Result<RawImage> DecodeJpeg(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  if (bytes.size() > ULONG_MAX) return TooLarge("JPEG data too large");
  const JpegMarkers markers = ScanMarkers(bytes);
  TjHandle tj(tjInitDecompress());
  if (!tj) return Internal(std::string("cannot initialise TurboJPEG: ") + tjGetErrorStr2(nullptr));
  const auto* data = bytes.data();
  const auto size = static_cast<unsigned long>(bytes.size());

  int width = 0;
  int height = 0;
  int subsampling = 0;
  int colorspace = 0;
  if (tjDecompressHeader3(tj.get(), data, size, &width, &height, &subsampling, &colorspace) != 0) {
    const std::string message = tjGetErrorStr2(tj.get());
    // TurboJPEG 2.x refuses headers whose sampling factors match none of its TJSAMP_* names, yet
    // tjDecompress2 decodes them fine; only the colour space has to come from SOF instead.
    if (!Contains(message, "Could not determine subsampling") || width <= 0 || height <= 0) {
      return JpegError(message, "invalid JPEG header");
    }
    colorspace = markers.components == 4 ? TJCS_CMYK : markers.components == 1 ? TJCS_GRAY : TJCS_YCbCr;
  }
  if (width <= 0 || height <= 0) {
    // A header cut before SOF is only a warning to libjpeg; it returns "success" and no size.
    const std::string message = tjGetErrorStr2(tj.get());
    if (Contains(message, "Premature end")) return Corrupt("truncated JPEG data (ends inside the header)");
    return Corrupt("JPEG header holds no image size");
  }
  FACETAG_RETURN_IF_ERROR(CheckDimensions("JPEG", width, height, options));

  const Scale scale = PickScale(width, height, options.min_long_side);
  const tjscalingfactor factor{scale.num, scale.denom};
  const int out_w = TJSCALED(width, factor);
  const int out_h = TJSCALED(height, factor);
  const bool cmyk = colorspace == TJCS_CMYK || colorspace == TJCS_YCCK;

  FACETAG_RETURN_IF_ERROR(CheckDecodedPixels("JPEG", out_w, out_h, options));
  RawImage raw;
  AllocateImage(raw.image, out_w, out_h);
  std::vector<uint8_t> cmyk_pixels;
  if (cmyk) cmyk_pixels.resize(static_cast<size_t>(out_w) * out_h * 4);
  uint8_t* target = cmyk ? cmyk_pixels.data() : raw.image.rgb.data();
  // LIMITSCANS caps progressive scans at 500: a few KB of crafted scans can otherwise burn
  // minutes of CPU.
  const int flags = TJFLAG_LIMITSCANS;
  if (tjDecompress2(tj.get(), data, size, target, out_w, 0, out_h, cmyk ? TJPF_CMYK : TJPF_RGB, flags) != 0) {
    const std::string message = tjGetErrorStr2(tj.get());
    if (tjGetErrorCode(tj.get()) != TJERR_WARNING) return JpegError(message, "corrupt JPEG data");
    // Warnings mean libjpeg guessed: grey for missing data, garbage after a bad Huffman code.
    // The one harmless warning is junk between segments, common in camera files. TurboJPEG only
    // keeps the first warning, so in that case look for the end of the stream ourselves.
    if (!Contains(message, "extraneous bytes before marker")) return JpegError(message, "corrupt JPEG data");
    if (!HasEndOfImage(bytes, markers.first_scan))
      return Corrupt("truncated JPEG data (no end-of-image marker)");
  }
  if (cmyk) {
    CmykToRgb(cmyk_pixels, markers.adobe, raw.image);
  }
  raw.full_width = width;
  raw.full_height = height;
  raw.scale = static_cast<double>(scale.num) / scale.denom;
  raw.exif.assign(markers.exif.begin(), markers.exif.end());
  return raw;
}

}  // namespace facetag::image_internal
