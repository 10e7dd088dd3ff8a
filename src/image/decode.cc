// Public entry points: format sniffing, dispatch, file reading and the shared size limits.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "facetag/image.h"
#include "image/decoders.h"
#include "image/orientation.h"

namespace facetag {
namespace image_internal {
namespace {

// Larger than any side JPEG (65535), WebP (16383) or a sane HEIF grid can claim; it keeps the int
// fields of Image and all row arithmetic far from overflow whatever max_pixels says.
constexpr int64_t kMaxSide = 1 << 24;

bool StartsWith(std::span<const uint8_t> bytes, size_t offset, std::string_view magic) {
  return bytes.size() >= offset + magic.size() &&
         std::memcmp(bytes.data() + offset, magic.data(), magic.size()) == 0;
}

uint32_t ReadBe32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

bool IsHeifBrand(std::string_view brand) {
  // HEVC stills and sequences, the generic MIAF/HEIF brands, and AVIF (same container, AV1 inside).
  for (std::string_view b : {"heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs", "mif1", "mif2",
                             "msf1", "avif", "avis"}) {
    if (brand == b) return true;
  }
  return false;
}

Sniffed SniffIsoBmff(std::span<const uint8_t> bytes) {
  const auto brand_at = [&](size_t offset) {
    return std::string_view(reinterpret_cast<const char*>(bytes.data()) + offset, 4);
  };
  const std::string_view major = brand_at(8);
  if (IsHeifBrand(major)) return {Format::kHeif, {}};
  // Compatible brands run to the end of the ftyp box.
  const uint64_t box_end = std::min<uint64_t>(ReadBe32(bytes.data()), bytes.size());
  for (uint64_t offset = 16; offset + 4 <= box_end; offset += 4) {
    if (IsHeifBrand(brand_at(offset))) return {Format::kHeif, {}};
  }
  std::string printable;
  for (char c : major) printable += (c >= 0x20 && c < 0x7f) ? c : '?';
  return {Format::kOther, "ISO-BMFF '" + printable + "' (not a HEIF/AVIF still image)"};
}

std::string FormatPixelCount(uint64_t pixels) {
  char buf[64];
  if (pixels >= 10'000'000) {
    std::snprintf(buf, sizeof buf, "%" PRIu64 " MP", (pixels + 500'000) / 1'000'000);
  } else if (pixels >= 100'000) {
    std::snprintf(buf, sizeof buf, "%.2f MP", static_cast<double>(pixels) / 1e6);
  } else {
    std::snprintf(buf, sizeof buf, "%" PRIu64 " pixels", pixels);
  }
  return buf;
}

std::string Errno(int err) { return std::strerror(err); }

Result<std::vector<uint8_t>> ReadImageFile(const std::filesystem::path& path, const DecodeOptions& options) {
  const std::string name = path.string();
  // open() then fstat() on the descriptor, so the checks and the read see the same file;
  // O_NONBLOCK keeps a FIFO from hanging the open (regular files ignore it).
  const int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) return NotFound("no such file: " + name);
    return IoError("cannot open " + name + ": " + Errno(err));
  }
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return IoError("cannot stat " + name + ": " + Errno(errno));
  if (S_ISDIR(st.st_mode)) return InvalidArgument(name + " is a directory, not an image file");
  if (!S_ISREG(st.st_mode)) return InvalidArgument(name + " is not a regular file");
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size == 0) return Corrupt("empty file: " + name);
  if (size > options.max_file_bytes) {
    return TooLarge(name + " is " + std::to_string(size) + " bytes, limit is " +
                    std::to_string(options.max_file_bytes) + " bytes");
  }
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot read " + name + ": " + Errno(errno));
    }
    if (n == 0) return IoError(name + " shrank while it was being read");
    done += static_cast<size_t>(n);
  }
  return bytes;
}

Result<DecodedImage> Decode(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  if (bytes.empty()) return Corrupt("empty input");
  const Sniffed sniffed = SniffFormat(bytes);
  Result<RawImage> raw = Corrupt("unreachable");
  DecodedImage out;
  switch (sniffed.format) {
    case Format::kUnknown:
      return Unsupported("not an image: unrecognised format");
    case Format::kOther:
      return Unsupported("unsupported image format: " + sniffed.name);
    case Format::kJpeg:
      raw = DecodeJpeg(bytes, options);
      out.format = "jpeg";
      break;
    case Format::kPng:
      raw = DecodePng(bytes, options);
      out.format = "png";
      break;
    case Format::kWebp:
      raw = DecodeWebp(bytes, options);
      out.format = "webp";
      break;
    case Format::kHeif:
      raw = DecodeHeif(bytes, options);
      out.format = "heif";
      break;
  }
  if (!raw.ok()) return raw.status();
  RawImage& r = raw.value();
  if (r.image.empty() || r.image.rgb.size() != static_cast<size_t>(r.image.width) * r.image.height * 3) {
    return Internal(out.format + " decoder returned an inconsistent image");
  }
  // HEIF has no EXIF here: its irot/imir boxes were applied by libheif and take precedence.
  out.orientation = r.exif.empty() ? 1 : ExifOrientation(r.exif);
  if (options.read_exif_facts && !r.exif.empty()) out.exif = ExifFacts(r.exif);
  out.full_width = r.full_width;
  out.full_height = r.full_height;
  out.scale = r.scale;
  if (options.apply_orientation && out.orientation != 1) {
    r.image = ApplyOrientation(std::move(r.image), out.orientation);
    if (OrientationSwapsAxes(out.orientation)) std::swap(out.full_width, out.full_height);
  }
  out.image = std::move(r.image);
  return out;
}

}  // namespace

Sniffed SniffFormat(std::span<const uint8_t> bytes) {
  if (StartsWith(bytes, 0, "\xFF\xD8\xFF")) return {Format::kJpeg, {}};
  if (StartsWith(bytes, 0, "\x89PNG\r\n\x1A\n")) return {Format::kPng, {}};
  if (StartsWith(bytes, 0, "RIFF") && StartsWith(bytes, 8, "WEBP")) return {Format::kWebp, {}};
  if (bytes.size() >= 16 && StartsWith(bytes, 4, "ftyp")) return SniffIsoBmff(bytes);
  if (StartsWith(bytes, 0, "GIF87a") || StartsWith(bytes, 0, "GIF89a")) return {Format::kOther, "GIF"};
  if (StartsWith(bytes, 0, std::string_view("II*\0", 4)) ||
      StartsWith(bytes, 0, std::string_view("MM\0*", 4))) {
    return {Format::kOther, "TIFF"};
  }
  if (StartsWith(bytes, 0, "BM") && bytes.size() >= 26 &&
      StartsWith(bytes, 6, std::string_view("\0\0\0\0", 4))) {
    return {Format::kOther, "BMP"};
  }
  if (StartsWith(bytes, 0, "\xFF\x0A") ||
      StartsWith(bytes, 0, std::string_view("\0\0\0\x0CJXL \r\n\x87\n", 12))) {
    return {Format::kOther, "JPEG XL"};
  }
  if (StartsWith(bytes, 0, std::string_view("\0\0\0\x0CjP  \r\n\x87\n", 12)))
    return {Format::kOther, "JPEG 2000"};
  return {Format::kUnknown, {}};
}

Status CheckDimensions(std::string_view format, int64_t width, int64_t height, const DecodeOptions& options) {
  const std::string dims = std::to_string(width) + "x" + std::to_string(height);
  if (width <= 0 || height <= 0) {
    return Corrupt(std::string(format) + " header claims an empty " + dims + " image");
  }
  if (width > kMaxSide || height > kMaxSide) {
    return TooLarge("image claims " + dims + " pixels; no side may exceed " + std::to_string(kMaxSide));
  }
  // Both factors are below 2^24, so neither this product nor 3 bytes a pixel can overflow.
  const uint64_t pixels = static_cast<uint64_t>(width) * static_cast<uint64_t>(height);
  if (pixels > options.max_pixels) {
    return TooLarge("image claims " + dims + " pixels (" + FormatPixelCount(pixels) + "), limit is " +
                    FormatPixelCount(options.max_pixels));
  }
  return Status::Ok();
}

Status CheckDecodedPixels(std::string_view format, int64_t width, int64_t height,
                          const DecodeOptions& options) {
  const uint64_t pixels = static_cast<uint64_t>(width) * static_cast<uint64_t>(height);
  if (options.max_decoded_pixels == 0 || pixels <= options.max_decoded_pixels)
    return options.reserve_pixels ? options.reserve_pixels(pixels) : Status::Ok();
  return TooLarge(std::string(format) + " image decodes to " + std::to_string(width) + "x" +
                  std::to_string(height) + " pixels (" + FormatPixelCount(pixels) +
                  "), more than this service decodes per request (" +
                  FormatPixelCount(options.max_decoded_pixels) + ")");
}

void AllocateImage(Image& image, int width, int height) {
  image.width = width;
  image.height = height;
  image.rgb.assign(static_cast<size_t>(width) * static_cast<size_t>(height) * 3, 0);
}

}  // namespace image_internal

Result<DecodedImage> DecodeImage(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  // The decoders are C libraries wrapped without exceptions; what can still throw is an
  // allocation the size checks allowed but the machine could not satisfy.
  try {
    return image_internal::Decode(bytes, options);
  } catch (const std::bad_alloc&) {
    return Internal("out of memory while decoding the image");
  } catch (const std::exception& e) {
    return Internal(std::string("unexpected failure while decoding the image: ") + e.what());
  } catch (...) {
    return Internal("unexpected failure while decoding the image");
  }
}

Result<DecodedImage> DecodeImageFile(const std::filesystem::path& path, const DecodeOptions& options) {
  try {
    Result<std::vector<uint8_t>> bytes = image_internal::ReadImageFile(path, options);
    if (!bytes.ok()) return bytes.status();
    Result<DecodedImage> decoded = DecodeImage(bytes.value(), options);
    if (!decoded.ok())
      return Status(decoded.status().code(), path.string() + ": " + decoded.status().message());
    return decoded;
  } catch (const std::bad_alloc&) {
    return Internal("out of memory while reading " + path.string());
  } catch (...) {
    return Internal("unexpected failure while reading " + path.string());
  }
}

}  // namespace facetag
