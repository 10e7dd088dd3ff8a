// PNG through libpng. libpng reports errors by longjmp, which must never cross a C++ frame that
// owns something: every setjmp below sits in a function whose locals are all trivially
// destructible, libpng's callbacks only touch the plain PngReader struct, and the C++ caller owns
// the buffers and the png structs, outside any jump.
#include <png.h>

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <string>

#include "image/decoders.h"

namespace facetag::image_internal {
namespace {

struct PngReader {
  png_structp png = nullptr;
  png_infop info = nullptr;
  const uint8_t* data = nullptr;
  size_t size = 0;
  size_t pos = 0;
  bool truncated = false;
  char error[256] = {};
  png_uint_32 width = 0;
  png_uint_32 height = 0;
  int passes = 1;
};

void OnPngError(png_structp png, png_const_charp message) {
  auto* reader = static_cast<PngReader*>(png_get_error_ptr(png));
  std::snprintf(reader->error, sizeof reader->error, "%s", message ? message : "unknown libpng error");
  png_longjmp(png, 1);
}

// Warnings (bad ancillary CRCs, odd gamma) never change whether we can use the pixels.
void OnPngWarning(png_structp, png_const_charp) {}

void ReadFromMemory(png_structp png, png_bytep out, size_t count) {
  auto* reader = static_cast<PngReader*>(png_get_io_ptr(png));
  if (count > reader->size - reader->pos) {
    reader->truncated = true;
    png_error(png, "truncated PNG data");
  }
  std::memcpy(out, reader->data + reader->pos, count);
  reader->pos += count;
}

// Reads up to the first IDAT: the claimed size, before a single pixel row is allocated.
int ReadPngInfo(PngReader* r) {
  if (setjmp(png_jmpbuf(r->png))) return -1;
  png_read_info(r->png, r->info);
  r->width = png_get_image_width(r->png, r->info);
  r->height = png_get_image_height(r->png, r->info);
  return 0;
}

// Every layout becomes 8-bit RGB. Alpha is dropped rather than composited, as face-api.js does.
int SetUpTransforms(PngReader* r) {
  if (setjmp(png_jmpbuf(r->png))) return -1;
  const int color_type = png_get_color_type(r->png, r->info);
  const int bit_depth = png_get_bit_depth(r->png, r->info);
  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(r->png);
  if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(r->png);
  if (bit_depth == 16) png_set_scale_16(r->png);
  if (!(color_type & PNG_COLOR_MASK_COLOR)) png_set_gray_to_rgb(r->png);
  png_set_strip_alpha(r->png);  // also drops the alpha a palette's tRNS would add
  r->passes = png_set_interlace_handling(r->png);
  png_read_update_info(r->png, r->info);
  if (png_get_channels(r->png, r->info) != 3 || png_get_bit_depth(r->png, r->info) != 8 ||
      png_get_rowbytes(r->png, r->info) != static_cast<size_t>(r->width) * 3) {
    png_error(r->png, "unexpected pixel layout after conversion to RGB");
  }
  return 0;
}

int ReadPngRows(PngReader* r, uint8_t* rgb) {
  if (setjmp(png_jmpbuf(r->png))) return -1;
  const size_t stride = static_cast<size_t>(r->width) * 3;
  for (int pass = 0; pass < r->passes; ++pass) {
    for (png_uint_32 y = 0; y < r->height; ++y) png_read_row(r->png, rgb + y * stride, nullptr);
  }
  // Catches a file cut after the last row (no IEND) and picks up an eXIf stored after IDAT.
  png_read_end(r->png, r->info);
  return 0;
}

Status PngFailure(const PngReader& r) {
  if (r.truncated) return Corrupt("truncated PNG data");
  const std::string message = r.error;
  if (message.find("exceeds user limit") != std::string::npos ||
      message.find("too large") != std::string::npos) {
    return TooLarge("PNG: " + message);
  }
  return Corrupt("invalid PNG: " + message);
}

uint32_t ReadBe32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

}  // namespace

Result<RawImage> DecodePng(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  // Size check straight from IHDR (always the first chunk) so a bomb gets our message instead of
  // whichever libpng limit trips first.
  if (bytes.size() >= 24 && std::memcmp(bytes.data() + 12, "IHDR", 4) == 0) {
    FACETAG_RETURN_IF_ERROR(
        CheckDimensions("PNG", ReadBe32(bytes.data() + 16), ReadBe32(bytes.data() + 20), options));
  }

  PngReader reader;
  reader.data = bytes.data();
  reader.size = bytes.size();
  reader.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader, OnPngError, OnPngWarning);
  if (reader.png == nullptr) return Internal("cannot initialise libpng");
  reader.info = png_create_info_struct(reader.png);
  struct Destroyer {
    PngReader& r;
    ~Destroyer() { png_destroy_read_struct(&r.png, r.info ? &r.info : nullptr, nullptr); }
  } destroyer{reader};
  if (reader.info == nullptr) return Internal("cannot initialise libpng");
  png_set_read_fn(reader.png, &reader, ReadFromMemory);
  // Backstops to the IHDR check above; the chunk limits bound what text, iCCP and eXIf chunks
  // may inflate to.
  const png_uint_32 max_side =
      static_cast<png_uint_32>(std::min<uint64_t>(std::max<uint64_t>(options.max_pixels, 1), 0x7fffffff));
  png_set_user_limits(reader.png, max_side, max_side);
  png_set_chunk_cache_max(reader.png, 1000);
  png_set_chunk_malloc_max(reader.png, 8 << 20);

  if (ReadPngInfo(&reader) != 0) return PngFailure(reader);
  FACETAG_RETURN_IF_ERROR(CheckDimensions("PNG", reader.width, reader.height, options));
  FACETAG_RETURN_IF_ERROR(CheckDecodedPixels("PNG", reader.width, reader.height, options));
  if (SetUpTransforms(&reader) != 0) return PngFailure(reader);

  RawImage raw;
  AllocateImage(raw.image, static_cast<int>(reader.width), static_cast<int>(reader.height));
  if (ReadPngRows(&reader, raw.image.rgb.data()) != 0) return PngFailure(reader);

  png_uint_32 exif_size = 0;
  png_bytep exif = nullptr;
  if (png_get_eXIf_1(reader.png, reader.info, &exif_size, &exif) != 0 && exif != nullptr) {
    raw.exif.assign(exif, exif + exif_size);
  }
  raw.full_width = raw.image.width;
  raw.full_height = raw.image.height;
  return raw;
}

}  // namespace facetag::image_internal
