// HEIF/HEIC/AVIF through libheif, which also applies the container's irot/imir/clap, so the
// result is already in displayed orientation and EXIF Orientation must not be applied again.
#include <libheif/heif.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>

#include "image/decoders.h"
#include "image/heif_references.h"

namespace facetag::image_internal {
namespace {

// Pixels per side that a coded image may exceed the size it declares (see DecodeHeif): HEVC's
// block padding, and a grid tile of up to 1024 pixels.
constexpr int kCodedPaddingHeadroom = 1024;

struct ContextDeleter {
  void operator()(heif_context* c) const { heif_context_free(c); }
};
struct HandleDeleter {
  void operator()(heif_image_handle* h) const { heif_image_handle_release(h); }
};
struct ImageDeleter {
  void operator()(heif_image* i) const { heif_image_release(i); }
};
struct OptionsDeleter {
  void operator()(heif_decoding_options* o) const { heif_decoding_options_free(o); }
};

// libheif reference-counts initialisation; holding one reference for the life of the process
// keeps its codec plugins loaded without per-image setup cost.
void InitLibheifOnce() {
  static std::once_flag once;
  std::call_once(once, [] { heif_init(nullptr); });
}

Status HeifError(const heif_error& err, const char* stage) {
  std::string detail = err.message ? err.message : "unknown error";
  while (!detail.empty() && std::isspace(static_cast<unsigned char>(detail.back()))) detail.pop_back();
  const std::string message = std::string("HEIF ") + stage + ": " + detail;
  switch (err.code) {
    case heif_error_Unsupported_filetype:
    case heif_error_Unsupported_feature:
      return Unsupported(message);
    case heif_error_Memory_allocation_error:
      if (err.subcode != heif_suberror_Security_limit_exceeded) return Internal(message);
      // At decode time the only limit left is the one set from ispe (see DecodeHeif): the file
      // contradicts itself rather than being too large for us.
      if (std::strcmp(stage, "decode") == 0) {
        return Corrupt(
            "HEIF grid/overlay canvas or coded image is larger than the image size the file declares (" +
            detail + ")");
      }
      return TooLarge(message);
    case heif_error_Invalid_input:
      if (err.subcode == heif_suberror_End_of_data) return Corrupt("truncated HEIF data (" + message + ")");
      return Corrupt(message);
    default:
      return Corrupt(message);
  }
}

}  // namespace

Result<RawImage> DecodeHeif(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  InitLibheifOnce();
  std::unique_ptr<heif_context, ContextDeleter> ctx(heif_context_alloc());
  if (!ctx) return Internal("cannot allocate a libheif context");
  // libheif's own per-side limit, so that a grid or an ispe box cannot make it allocate before
  // our own check sees the size. One above anything we accept: it is a backstop, and our check
  // below gives the clearer message.
  heif_context_set_maximum_image_size_limit(
      ctx.get(), static_cast<int>(std::min<uint64_t>(options.max_pixels, 1 << 24) + 1));
  heif_error err = heif_context_read_from_memory_without_copy(ctx.get(), bytes.data(), bytes.size(), nullptr);
  if (err.code != heif_error_Ok) return HeifError(err, "container");
  FACETAG_RETURN_IF_ERROR(CheckHeifDerivedImages(bytes));

  heif_image_handle* raw_handle = nullptr;
  err = heif_context_get_primary_image_handle(ctx.get(), &raw_handle);
  std::unique_ptr<heif_image_handle, HandleDeleter> handle(raw_handle);
  if (err.code != heif_error_Ok || !handle) return HeifError(err, "primary image");
  // Width and height here are after the container's transformations.
  FACETAG_RETURN_IF_ERROR(CheckDimensions("HEIF", heif_image_handle_get_width(handle.get()),
                                          heif_image_handle_get_height(handle.get()), options));
  // The coded size can exceed the displayed one (clap crops); it is what gets allocated.
  const int ispe_width = heif_image_handle_get_ispe_width(handle.get());
  const int ispe_height = heif_image_handle_get_ispe_height(handle.get());
  FACETAG_RETURN_IF_ERROR(CheckDimensions("HEIF", ispe_width, ispe_height, options));
  FACETAG_RETURN_IF_ERROR(CheckDecodedPixels("HEIF", ispe_width, ispe_height, options));
  // A grid or overlay item carries its canvas size a second time, in its own payload, and libheif
  // 1.15 allocates that canvas without comparing it to ispe: a 24x16 file can make it fill a
  // 60000x8000 canvas. libheif compares the canvas with this limit at decode time, so narrow the
  // limit to the largest side already vetted, plus headroom: Debian's libheif
  // (1.15.1-1+deb12u2) also compares every coded size with this limit, and coded sizes are
  // padded. HEVC codes whole blocks (x265 codes a 40x30 image as 64x64, 594x383 as 600x384),
  // and a grid codes whole tiles, so an image smaller than its tile (phones write 512-pixel
  // tiles) has a coded tile larger than itself. A tile's worth keeps a bomb's canvas within
  // kCodedPaddingHeadroom pixels of what was vetted on each side.
  heif_context_set_maximum_image_size_limit(ctx.get(),
                                            std::max(ispe_width, ispe_height) + kCodedPaddingHeadroom + 1);

  std::unique_ptr<heif_decoding_options, OptionsDeleter> decode_options(heif_decoding_options_alloc());
  if (!decode_options) return Internal("cannot allocate libheif decoding options");
  decode_options->ignore_transformations = 0;
  heif_image* raw_image = nullptr;
  err = heif_decode_image(handle.get(), &raw_image, heif_colorspace_RGB, heif_chroma_interleaved_RGB,
                          decode_options.get());
  std::unique_ptr<heif_image, ImageDeleter> image(raw_image);
  if (err.code != heif_error_Ok || !image) return HeifError(err, "decode");

  const int width = heif_image_get_width(image.get(), heif_channel_interleaved);
  const int height = heif_image_get_height(image.get(), heif_channel_interleaved);
  FACETAG_RETURN_IF_ERROR(CheckDimensions("HEIF", width, height, options));
  int stride = 0;
  const uint8_t* plane = heif_image_get_plane_readonly(image.get(), heif_channel_interleaved, &stride);
  const size_t row_bytes = static_cast<size_t>(width) * 3;
  if (plane == nullptr || stride < 0 || static_cast<size_t>(stride) < row_bytes ||
      heif_image_get_bits_per_pixel(image.get(), heif_channel_interleaved) != 24) {
    return Internal("libheif returned an unexpected pixel layout");
  }

  RawImage raw;
  AllocateImage(raw.image, width, height);
  for (int y = 0; y < height; ++y) {
    std::memcpy(raw.image.row(y), plane + static_cast<size_t>(y) * static_cast<size_t>(stride), row_bytes);
  }
  raw.full_width = width;
  raw.full_height = height;
  return raw;
}

}  // namespace facetag::image_internal
