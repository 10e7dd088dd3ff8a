#include "image/orientation.h"

#include <libexif/exif-data.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

namespace facetag::image_internal {
namespace {

constexpr uint8_t kExifPrefix[6] = {'E', 'x', 'i', 'f', 0, 0};
// Anything larger is not an EXIF block a camera wrote (a JPEG APP1 segment caps it at 64 KB); the
// cap keeps a hostile PNG/WebP chunk from making libexif chew on megabytes.
constexpr size_t kMaxExifBytes = 1 << 20;

struct ExifDataDeleter {
  void operator()(ExifData* d) const { exif_data_unref(d); }
};

void CopyPixel(const uint8_t* src, uint8_t* dst) {
  dst[0] = src[0];
  dst[1] = src[1];
  dst[2] = src[2];
}

void FlipHorizontal(Image& image) {
  for (int y = 0; y < image.height; ++y) {
    uint8_t* row = image.row(y);
    for (int l = 0, r = image.width - 1; l < r; ++l, --r) {
      std::swap_ranges(row + 3 * l, row + 3 * l + 3, row + 3 * r);
    }
  }
}

void FlipVertical(Image& image) {
  const size_t stride = static_cast<size_t>(image.width) * 3;
  for (int t = 0, b = image.height - 1; t < b; ++t, --b) {
    std::swap_ranges(image.row(t), image.row(t) + stride, image.row(b));
  }
}

// Orientations 5..8 move every pixel to another row; a second buffer is unavoidable.
Image Transposed(const Image& in, int orientation) {
  Image out;
  out.width = in.height;
  out.height = in.width;
  out.rgb.resize(in.rgb.size());
  const int w = in.width;
  const int h = in.height;
  for (int y = 0; y < out.height; ++y) {
    uint8_t* dst = out.row(y);
    for (int x = 0; x < out.width; ++x, dst += 3) {
      int sx = 0;
      int sy = 0;
      switch (orientation) {
        case 5:
          sx = y;
          sy = x;
          break;  // transpose
        case 6:
          sx = y;
          sy = h - 1 - x;
          break;  // rotate 90 clockwise
        case 7:
          sx = w - 1 - y;
          sy = h - 1 - x;
          break;  // transverse
        default:
          sx = w - 1 - y;
          sy = x;
          break;  // 8: rotate 90 counter-clockwise
      }
      CopyPixel(in.row(sy) + 3 * static_cast<size_t>(sx), dst);
    }
  }
  return out;
}

}  // namespace

int ExifOrientation(std::span<const uint8_t> exif) {
  if (exif.size() < 8 || exif.size() > kMaxExifBytes) return 1;
  // libexif only accepts a block that starts with the "Exif\0\0" header (or a JPEG stream); PNG
  // eXIf and most WebP EXIF chunks carry the bare TIFF structure.
  std::vector<uint8_t> owned;
  std::span<const uint8_t> data = exif;
  if (std::memcmp(exif.data(), kExifPrefix, sizeof kExifPrefix) != 0) {
    owned.reserve(exif.size() + sizeof kExifPrefix);
    owned.insert(owned.end(), std::begin(kExifPrefix), std::end(kExifPrefix));
    owned.insert(owned.end(), exif.begin(), exif.end());
    data = owned;
  }
  // exif_data_new_from_data() would also "fix" the block to the spec (adding and rewriting
  // tags), which is wasted work when only one tag is read, so build it by hand without that option.
  std::unique_ptr<ExifData, ExifDataDeleter> ed(exif_data_new());
  if (!ed) return 1;
  exif_data_unset_option(ed.get(), EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
  exif_data_load_data(ed.get(), data.data(), static_cast<unsigned int>(data.size()));
  ExifEntry* entry = exif_content_get_entry(ed->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
  if (entry == nullptr || entry->data == nullptr || entry->components < 1) return 1;
  int value = 0;
  if (entry->format == EXIF_FORMAT_SHORT && entry->size >= 2) {
    value = exif_get_short(entry->data, exif_data_get_byte_order(ed.get()));
  } else if (entry->format == EXIF_FORMAT_LONG && entry->size >= 4) {
    // Out of spec, but some writers store it as LONG and every viewer honours it.
    const ExifLong v = exif_get_long(entry->data, exif_data_get_byte_order(ed.get()));
    value = v <= 8 ? static_cast<int>(v) : 0;
  }
  return value >= 1 && value <= 8 ? value : 1;
}

bool OrientationSwapsAxes(int orientation) { return orientation >= 5 && orientation <= 8; }

Image ApplyOrientation(Image image, int orientation) {
  switch (orientation) {
    case 2:
      FlipHorizontal(image);
      return image;
    case 3:
      FlipHorizontal(image);
      FlipVertical(image);
      return image;
    case 4:
      FlipVertical(image);
      return image;
    case 5:
    case 6:
    case 7:
    case 8:
      return Transposed(image, orientation);
    default:
      return image;
  }
}

}  // namespace facetag::image_internal
