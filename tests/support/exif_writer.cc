#include "support/exif_writer.h"

#include <libexif/exif-data.h>

#include <cmath>
#include <cstdlib>
#include <cstring>

namespace facetag::testing {
namespace {

ExifEntry* AddEntry(ExifData* d, ExifIfd ifd, ExifTag tag, ExifFormat format, unsigned long components) {
  ExifMem* mem = exif_mem_new_default();
  ExifEntry* e = exif_entry_new_mem(mem);
  const unsigned int size = exif_format_get_size(format) * components;
  e->data = static_cast<unsigned char*>(exif_mem_alloc(mem, size));
  std::memset(e->data, 0, size);
  e->size = size;
  e->tag = tag;
  e->components = components;
  e->format = format;
  exif_content_add_entry(d->ifd[ifd], e);
  exif_mem_unref(mem);
  exif_entry_unref(e);  // the IFD holds it now
  return e;
}

void SetAscii(ExifData* d, ExifIfd ifd, ExifTag tag, const std::string& text) {
  ExifEntry* e = AddEntry(d, ifd, tag, EXIF_FORMAT_ASCII, text.size() + 1);
  std::memcpy(e->data, text.c_str(), text.size() + 1);
}

void SetDegrees(ExifData* d, ExifTag tag, double degrees) {
  ExifEntry* e = AddEntry(d, EXIF_IFD_GPS, tag, EXIF_FORMAT_RATIONAL, 3);
  degrees = std::fabs(degrees);
  const double minutes = (degrees - std::floor(degrees)) * 60;
  const double seconds = (minutes - std::floor(minutes)) * 60;
  const ExifByteOrder order = exif_data_get_byte_order(d);
  exif_set_rational(e->data, order, {static_cast<ExifLong>(std::floor(degrees)), 1});
  exif_set_rational(e->data + 8, order, {static_cast<ExifLong>(std::floor(minutes)), 1});
  exif_set_rational(e->data + 16, order, {static_cast<ExifLong>(std::lround(seconds * 1000)), 1000});
}

}  // namespace

std::string JpegWithExif(const std::string& jpeg, const std::string& taken,
                         std::optional<std::pair<double, double>> position) {
  ExifData* d = exif_data_new();
  exif_data_set_byte_order(d, EXIF_BYTE_ORDER_INTEL);
  if (!taken.empty()) SetAscii(d, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, taken);
  if (position) {
    SetAscii(d, EXIF_IFD_GPS, static_cast<ExifTag>(EXIF_TAG_GPS_LATITUDE_REF),
             position->first < 0 ? "S" : "N");
    SetDegrees(d, static_cast<ExifTag>(EXIF_TAG_GPS_LATITUDE), position->first);
    SetAscii(d, EXIF_IFD_GPS, static_cast<ExifTag>(EXIF_TAG_GPS_LONGITUDE_REF),
             position->second < 0 ? "W" : "E");
    SetDegrees(d, static_cast<ExifTag>(EXIF_TAG_GPS_LONGITUDE), position->second);
  }
  unsigned char* block = nullptr;
  unsigned int size = 0;
  exif_data_save_data(d, &block, &size);  // starts with "Exif\0\0"
  exif_data_unref(d);
  std::string segment = "\xFF\xE1";
  segment += static_cast<char>((size + 2) >> 8);
  segment += static_cast<char>((size + 2) & 0xFF);
  segment.append(reinterpret_cast<const char*>(block), size);
  std::free(block);
  return jpeg.substr(0, 2) + segment + jpeg.substr(2);
}

}  // namespace facetag::testing
