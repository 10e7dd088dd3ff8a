// Builders for the image tests: real encoders (TurboJPEG, libpng, libwebp, libheif) produce the
// inputs at test time, and a few byte-level helpers turn them into hostile variants.
#pragma once

#include <gtest/gtest.h>
#include <libheif/heif.h>
#include <png.h>
#include <turbojpeg.h>
#include <webp/encode.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <csetjmp>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "facetag/image.h"
#include "support/test_env.h"

namespace facetag::testing {

using Bytes = std::vector<uint8_t>;

// gmock is not linked; this gives EXPECT_TRUE(Contains(message, "...")) a readable failure.
inline ::testing::AssertionResult Contains(const std::string& haystack, const std::string& needle) {
  if (haystack.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << haystack << "\" does not contain \"" << needle << "\"";
}

inline std::filesystem::path FixtureDir() { return TestDataDir() / "images"; }

inline Bytes ReadBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read test input " << path;
    return {};
  }
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

inline void WriteBytes(const std::filesystem::path& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

// A fresh directory per test, removed afterwards.
class ScratchDir {
 public:
  ScratchDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ =
        std::filesystem::path(::testing::TempDir()) /
        ("facetag_image_" + std::string(info ? info->name() : "test") + "_" + std::to_string(std::rand()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline Image MakeImage(int w, int h) {
  Image img;
  img.width = w;
  img.height = h;
  img.rgb.assign(static_cast<size_t>(w) * h * 3, 0);
  return img;
}

// Smooth gradients: survive JPEG/WebP compression with small errors, and no two corners alike.
inline Image Gradient(int w, int h) {
  Image img = MakeImage(w, h);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      uint8_t* p = img.row(y) + 3 * x;
      p[0] = static_cast<uint8_t>(x * 255 / std::max(1, w - 1));
      p[1] = static_cast<uint8_t>(y * 255 / std::max(1, h - 1));
      p[2] = static_cast<uint8_t>(255 - (x + y) * 255 / std::max(1, w + h - 2));
    }
  }
  return img;
}

// Four flat quadrants: red, green / blue, white. Lets a test say where a corner went.
inline Image Quadrants(int w, int h) {
  static constexpr uint8_t kColors[4][3] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
  Image img = MakeImage(w, h);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const int q = (y < h / 2 ? 0 : 2) + (x < w / 2 ? 0 : 1);
      std::memcpy(img.row(y) + 3 * x, kColors[q], 3);
    }
  }
  return img;
}

inline Image Rgb(const std::vector<uint8_t>& rgb, int w, int h) {
  Image img;
  img.width = w;
  img.height = h;
  img.rgb = rgb;
  return img;
}

inline std::array<int, 3> PixelAt(const Image& img, int x, int y) {
  const uint8_t* p = img.row(y) + 3 * x;
  return {p[0], p[1], p[2]};
}

// Mean absolute difference per channel sample; 255 when the sizes differ.
inline double MeanAbsDiff(const Image& a, const Image& b) {
  if (a.width != b.width || a.height != b.height || a.rgb.size() != b.rgb.size() || a.rgb.empty()) return 255;
  uint64_t sum = 0;
  for (size_t i = 0; i < a.rgb.size(); ++i)
    sum += static_cast<uint64_t>(std::abs(int{a.rgb[i]} - int{b.rgb[i]}));
  return static_cast<double>(sum) / static_cast<double>(a.rgb.size());
}

inline bool IsGray(const Image& img) {
  for (size_t i = 0; i < img.rgb.size(); i += 3) {
    if (img.rgb[i] != img.rgb[i + 1] || img.rgb[i] != img.rgb[i + 2]) return false;
  }
  return true;
}

// Rec.601 luma, as JPEG's YCbCr uses.
inline Image ToGray(const Image& img) {
  Image out = img;
  for (size_t i = 0; i < out.rgb.size(); i += 3) {
    const double y = 0.299 * img.rgb[i] + 0.587 * img.rgb[i + 1] + 0.114 * img.rgb[i + 2];
    const auto v = static_cast<uint8_t>(std::lround(std::clamp(y, 0.0, 255.0)));
    out.rgb[i] = out.rgb[i + 1] = out.rgb[i + 2] = v;
  }
  return out;
}

// Reference for EXIF orientations, built from flips and a transpose (a different formulation
// from the library's per-pixel source mapping).
inline Image FlipH(const Image& in) {
  Image out = in;
  for (int y = 0; y < in.height; ++y)
    for (int x = 0; x < in.width; ++x) std::memcpy(out.row(y) + 3 * x, in.row(y) + 3 * (in.width - 1 - x), 3);
  return out;
}
inline Image FlipV(const Image& in) {
  Image out = in;
  for (int y = 0; y < in.height; ++y)
    std::memcpy(out.row(y), in.row(in.height - 1 - y), 3 * static_cast<size_t>(in.width));
  return out;
}
inline Image Transpose(const Image& in) {
  Image out = MakeImage(in.height, in.width);
  for (int y = 0; y < out.height; ++y)
    for (int x = 0; x < out.width; ++x) std::memcpy(out.row(y) + 3 * x, in.row(x) + 3 * y, 3);
  return out;
}
inline Image ReferenceOrient(const Image& in, int orientation) {
  switch (orientation) {
    case 2:
      return FlipH(in);
    case 3:
      return FlipV(FlipH(in));
    case 4:
      return FlipV(in);
    case 5:
      return Transpose(in);
    case 6:
      return FlipH(Transpose(in));  // 90 degrees clockwise
    case 7:
      return FlipV(FlipH(Transpose(in)));
    case 8:
      return FlipV(Transpose(in));  // 90 degrees counter-clockwise
    default:
      return in;
  }
}

// ---- JPEG -------------------------------------------------------------------------------------

inline Bytes CompressJpeg(const uint8_t* pixels, int w, int h, int pixel_format, int subsampling, int quality,
                          int flags = 0) {
  tjhandle tj = tjInitCompress();
  unsigned char* out = nullptr;
  unsigned long size = 0;
  const int rc = tjCompress2(tj, pixels, w, 0, h, pixel_format, &out, &size, subsampling, quality, flags);
  EXPECT_EQ(rc, 0) << tjGetErrorStr2(tj);
  Bytes bytes(out, out + (rc == 0 ? size : 0));
  tjFree(out);
  tjDestroy(tj);
  return bytes;
}

inline Bytes EncodeJpeg(const Image& img, int quality = 95, int subsampling = TJSAMP_444, int flags = 0) {
  return CompressJpeg(img.rgb.data(), img.width, img.height, TJPF_RGB, subsampling, quality, flags);
}

// The plain TurboJPEG decode the library's output is compared with.
inline Image TjDecode(const Bytes& jpeg) {
  tjhandle tj = tjInitDecompress();
  int w = 0, h = 0, ss = 0, cs = 0;
  EXPECT_EQ(tjDecompressHeader3(tj, jpeg.data(), jpeg.size(), &w, &h, &ss, &cs), 0) << tjGetErrorStr2(tj);
  Image img = MakeImage(w, h);
  EXPECT_EQ(tjDecompress2(tj, jpeg.data(), jpeg.size(), img.rgb.data(), w, 0, h, TJPF_RGB, 0), 0)
      << tjGetErrorStr2(tj);
  tjDestroy(tj);
  return img;
}

// Bare TIFF structure (what PNG eXIf and WebP EXIF hold) with one IFD0 entry: Orientation.
inline Bytes ExifTiff(int orientation, bool big_endian = true) {
  const auto u16 = [&](Bytes& b, unsigned v) {
    if (big_endian) {
      b.push_back(static_cast<uint8_t>(v >> 8));
      b.push_back(static_cast<uint8_t>(v));
    } else {
      b.push_back(static_cast<uint8_t>(v));
      b.push_back(static_cast<uint8_t>(v >> 8));
    }
  };
  const auto u32 = [&](Bytes& b, uint32_t v) {
    if (big_endian) {
      u16(b, v >> 16);
      u16(b, v & 0xFFFF);
    } else {
      u16(b, v & 0xFFFF);
      u16(b, v >> 16);
    }
  };
  Bytes b = big_endian ? Bytes{'M', 'M'} : Bytes{'I', 'I'};
  u16(b, 42);
  u32(b, 8);       // IFD0 offset
  u16(b, 1);       // one entry
  u16(b, 0x0112);  // Orientation
  u16(b, 3);       // SHORT
  u32(b, 1);       // count
  u16(b, static_cast<unsigned>(orientation));
  u16(b, 0);  // value padding
  u32(b, 0);  // no next IFD
  return b;
}

// Splices an APP1 Exif segment in right after SOI.
inline Bytes WithExifApp1(const Bytes& jpeg, const Bytes& tiff) {
  Bytes payload = {'E', 'x', 'i', 'f', 0, 0};
  payload.insert(payload.end(), tiff.begin(), tiff.end());
  const size_t length = payload.size() + 2;
  Bytes out(jpeg.begin(), jpeg.begin() + 2);
  out.insert(out.end(), {0xFF, 0xE1, static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length)});
  out.insert(out.end(), payload.begin(), payload.end());
  out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
  return out;
}

// Rewrites the frame size in the first SOF marker: a tiny real JPEG that claims any size.
inline Bytes PatchJpegSize(Bytes jpeg, uint16_t w, uint16_t h) {
  size_t pos = 2;
  while (pos + 9 < jpeg.size()) {
    EXPECT_EQ(jpeg[pos], 0xFF);
    const uint8_t marker = jpeg[pos + 1];
    const size_t length = (size_t{jpeg[pos + 2]} << 8) | jpeg[pos + 3];
    if (marker == 0xC0 || marker == 0xC1 || marker == 0xC2) {
      jpeg[pos + 5] = static_cast<uint8_t>(h >> 8);
      jpeg[pos + 6] = static_cast<uint8_t>(h);
      jpeg[pos + 7] = static_cast<uint8_t>(w >> 8);
      jpeg[pos + 8] = static_cast<uint8_t>(w);
      return jpeg;
    }
    pos += 2 + length;
  }
  ADD_FAILURE() << "no SOF marker found";
  return jpeg;
}

// ---- PNG --------------------------------------------------------------------------------------

struct PngSpec {
  int width = 0;
  int height = 0;
  int color_type = PNG_COLOR_TYPE_RGB;
  int bit_depth = 8;
  bool interlaced = false;
  Bytes rows;                      // packed rows exactly as PNG stores them (16-bit big-endian)
  std::vector<png_color> palette;  // PNG_COLOR_TYPE_PALETTE
  Bytes palette_alpha;             // tRNS for palettes
  Bytes exif;                      // eXIf chunk payload
};

namespace png_detail {
struct WriteJob {
  const PngSpec* spec;
  Bytes* out;
  png_structp png;
  png_infop info;
};
inline void Append(png_structp png, png_bytep data, size_t n) {
  auto* out = static_cast<Bytes*>(png_get_io_ptr(png));
  out->insert(out->end(), data, data + n);
}
inline void Flush(png_structp) {}
// setjmp here with trivially destructible locals only.
inline int Write(WriteJob* job) {
  if (setjmp(png_jmpbuf(job->png))) return -1;
  const PngSpec& s = *job->spec;
  png_set_write_fn(job->png, job->out, Append, Flush);
  png_set_IHDR(job->png, job->info, static_cast<png_uint_32>(s.width), static_cast<png_uint_32>(s.height),
               s.bit_depth, s.color_type, s.interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (!s.palette.empty())
    png_set_PLTE(job->png, job->info, s.palette.data(), static_cast<int>(s.palette.size()));
  if (!s.palette_alpha.empty()) {
    png_set_tRNS(job->png, job->info, s.palette_alpha.data(), static_cast<int>(s.palette_alpha.size()),
                 nullptr);
  }
  if (!s.exif.empty())
    png_set_eXIf_1(job->png, job->info, static_cast<png_uint_32>(s.exif.size()),
                   const_cast<png_bytep>(s.exif.data()));
  png_write_info(job->png, job->info);
  const size_t stride = png_get_rowbytes(job->png, job->info);
  const int passes = png_set_interlace_handling(job->png);
  for (int pass = 0; pass < passes; ++pass)
    for (int y = 0; y < s.height; ++y)
      png_write_row(job->png, s.rows.data() + static_cast<size_t>(y) * stride);
  png_write_end(job->png, job->info);
  return 0;
}
}  // namespace png_detail

inline Bytes EncodePng(const PngSpec& spec) {
  Bytes out;
  png_detail::WriteJob job{
      &spec, &out, png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr), nullptr};
  job.info = png_create_info_struct(job.png);
  const int rc = png_detail::Write(&job);
  png_destroy_write_struct(&job.png, &job.info);
  EXPECT_EQ(rc, 0) << "libpng could not write the test PNG";
  return out;
}

inline Bytes EncodePngRgb(const Image& img, const Bytes& exif = {}) {
  PngSpec s;
  s.width = img.width;
  s.height = img.height;
  s.rows = img.rgb;
  s.exif = exif;
  return EncodePng(s);
}

inline uint32_t Crc32(const uint8_t* data, size_t n) {
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; ++i) {
    crc ^= data[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

inline void PutBe32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

// Rewrites IHDR's size and recomputes its CRC, so only the claim is wrong.
inline Bytes PatchPngSize(Bytes png, uint32_t w, uint32_t h) {
  EXPECT_EQ(std::memcmp(png.data() + 12, "IHDR", 4), 0);
  PutBe32(png.data() + 16, w);
  PutBe32(png.data() + 20, h);
  PutBe32(png.data() + 29, Crc32(png.data() + 12, 17));
  return png;
}

// ---- WebP -------------------------------------------------------------------------------------

inline Bytes EncodeWebp(const Image& img, bool lossless, float quality = 90) {
  uint8_t* out = nullptr;
  const size_t n = lossless
                       ? WebPEncodeLosslessRGB(img.rgb.data(), img.width, img.height, img.width * 3, &out)
                       : WebPEncodeRGB(img.rgb.data(), img.width, img.height, img.width * 3, quality, &out);
  EXPECT_GT(n, 0u) << "libwebp could not encode the test image";
  Bytes bytes(out, out + n);
  WebPFree(out);
  return bytes;
}

inline Bytes EncodeWebpRgba(const std::vector<uint8_t>& rgba, int w, int h) {
  uint8_t* out = nullptr;
  const size_t n = WebPEncodeLosslessRGBA(rgba.data(), w, h, w * 4, &out);
  EXPECT_GT(n, 0u);
  Bytes bytes(out, out + n);
  WebPFree(out);
  return bytes;
}

inline void PutLe32(Bytes& b, uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// Rewraps a simple (VP8/VP8L-only) WebP as an extended VP8X file carrying an EXIF chunk.
inline Bytes WebpWithExif(const Bytes& simple, int w, int h, const Bytes& exif) {
  EXPECT_EQ(std::memcmp(simple.data() + 12, "VP8", 3), 0) << "expected a simple WebP";
  Bytes body = {'W', 'E', 'B', 'P', 'V', 'P', '8', 'X'};
  PutLe32(body, 10);
  body.insert(body.end(), {0x08, 0, 0, 0});  // flags: EXIF present
  for (int v : {w - 1, h - 1}) {
    body.insert(body.end(),
                {static_cast<uint8_t>(v), static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v >> 16)});
  }
  body.insert(body.end(), simple.begin() + 12, simple.end());
  body.insert(body.end(), {'E', 'X', 'I', 'F'});
  PutLe32(body, static_cast<uint32_t>(exif.size()));
  body.insert(body.end(), exif.begin(), exif.end());
  if (exif.size() & 1) body.push_back(0);
  Bytes out = {'R', 'I', 'F', 'F'};
  PutLe32(out, static_cast<uint32_t>(body.size()));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

// ---- HEIF -------------------------------------------------------------------------------------

namespace heif_detail {
inline heif_error WriteToVector(heif_context*, const void* data, size_t size, void* userdata) {
  auto* out = static_cast<Bytes*>(userdata);
  const auto* p = static_cast<const uint8_t*>(data);
  out->insert(out->end(), p, p + size);
  return heif_error{heif_error_Ok, heif_suberror_Unspecified, "ok"};
}
}  // namespace heif_detail

// HEVC-in-HEIF through libheif's encoder; orientation != 1 makes libheif write irot/imir boxes.
// bit_depth 10 stores v * 4 per sample (an HDR-style HEIC). Fails the test when libheif has no
// HEVC encoder.
inline Bytes EncodeHeic(const Image& img, int orientation = 1, int quality = 90, int bit_depth = 8) {
  heif_context* ctx = heif_context_alloc();
  heif_encoder* encoder = nullptr;
  heif_error err = heif_context_get_encoder_for_format(ctx, heif_compression_HEVC, &encoder);
  Bytes out;
  if (err.code != heif_error_Ok) {
    ADD_FAILURE() << "no HEVC encoder in libheif: " << err.message;
    heif_context_free(ctx);
    return out;
  }
  heif_encoder_set_lossy_quality(encoder, quality);
  heif_image* image = nullptr;
  heif_image_create(img.width, img.height, heif_colorspace_RGB,
                    bit_depth == 8 ? heif_chroma_interleaved_RGB : heif_chroma_interleaved_RRGGBB_LE, &image);
  heif_image_add_plane(image, heif_channel_interleaved, img.width, img.height, bit_depth);
  int stride = 0;
  uint8_t* plane = heif_image_get_plane(image, heif_channel_interleaved, &stride);
  for (int y = 0; y < img.height; ++y) {
    uint8_t* row = plane + static_cast<size_t>(y) * static_cast<size_t>(stride);
    if (bit_depth == 8) {
      std::memcpy(row, img.row(y), img.width * 3u);
      continue;
    }
    for (int i = 0; i < img.width * 3; ++i) {
      const unsigned v = img.row(y)[i] * 4u;
      row[2 * i] = static_cast<uint8_t>(v);
      row[2 * i + 1] = static_cast<uint8_t>(v >> 8);
    }
  }
  heif_encoding_options* options = heif_encoding_options_alloc();
  options->image_orientation = static_cast<heif_orientation>(orientation);
  err = heif_context_encode_image(ctx, image, encoder, options, nullptr);
  EXPECT_EQ(err.code, heif_error_Ok) << err.message;
  heif_writer writer{1, heif_detail::WriteToVector};
  err = heif_context_write(ctx, &writer, &out);
  EXPECT_EQ(err.code, heif_error_Ok) << err.message;
  heif_encoding_options_free(options);
  heif_image_release(image);
  heif_encoder_release(encoder);
  heif_context_free(ctx);
  return out;
}

// ---- hostile bytes ----------------------------------------------------------------------------

inline Bytes Truncated(const Bytes& b, double fraction) {
  return Bytes(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(static_cast<double>(b.size()) * fraction));
}

inline Bytes RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  Bytes b(n);
  for (auto& v : b) v = static_cast<uint8_t>(rng());
  return b;
}

}  // namespace facetag::testing
