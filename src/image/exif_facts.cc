// When and where a photo was taken, from its EXIF block (facetag annotate tells the language
// model; the Neo4j export's Photo.taken).
#include <libexif/exif-data.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <vector>

#include "image/orientation.h"

namespace facetag::image_internal {
namespace {

constexpr uint8_t kExifPrefix[6] = {'E', 'x', 'i', 'f', 0, 0};
constexpr size_t kMaxExifBytes = 1 << 20;  // as ExifOrientation: no camera writes more

struct ExifDataDeleter {
  void operator()(ExifData* d) const { exif_data_unref(d); }
};

std::string Ascii(ExifEntry* e) {
  if (e == nullptr || e->data == nullptr || e->format != EXIF_FORMAT_ASCII) return {};
  std::string s(reinterpret_cast<const char*>(e->data), e->size);
  return s.substr(0, s.find('\0'));
}

// "YYYY:MM:DD HH:MM:SS" -> "YYYY-MM-DDTHH:MM:SS"; empty for anything else (blank dates
// "0000:00:00 00:00:00" and the spaces some cameras write included).
std::string IsoDateTime(const std::string& exif) {
  static const char kPattern[] = "dddd:dd:dd dd:dd:dd";
  if (exif.size() < sizeof kPattern - 1) return {};
  std::string out = exif.substr(0, sizeof kPattern - 1);
  for (size_t i = 0; i < out.size(); ++i) {
    if (kPattern[i] == 'd' ? (out[i] < '0' || out[i] > '9') : out[i] != kPattern[i]) return {};
  }
  out[4] = out[7] = '-';
  out[10] = 'T';
  const int month = std::stoi(out.substr(5, 2)), day = std::stoi(out.substr(8, 2));
  if (month < 1 || month > 12 || day < 1 || day > 31 || std::stoi(out.substr(11, 2)) > 23) return {};
  return out;
}

// Degrees from three RATIONALs (degrees, minutes, seconds); NaN when malformed.
double Degrees(ExifEntry* e, ExifByteOrder order) {
  if (e == nullptr || e->data == nullptr || e->format != EXIF_FORMAT_RATIONAL || e->components != 3 ||
      e->size < 24) {
    return NAN;
  }
  double parts[3];
  for (int i = 0; i < 3; ++i) {
    const ExifRational r = exif_get_rational(e->data + 8 * i, order);
    if (r.denominator == 0) return NAN;
    parts[i] = static_cast<double>(r.numerator) / r.denominator;
  }
  return parts[0] + parts[1] / 60 + parts[2] / 3600;
}

}  // namespace

PhotoExif ExifFacts(std::span<const uint8_t> exif) {
  PhotoExif facts;
  if (exif.size() < 8 || exif.size() > kMaxExifBytes) return facts;
  std::vector<uint8_t> data;
  if (std::memcmp(exif.data(), kExifPrefix, sizeof kExifPrefix) != 0)
    data.insert(data.end(), std::begin(kExifPrefix), std::end(kExifPrefix));
  data.insert(data.end(), exif.begin(), exif.end());
  std::unique_ptr<ExifData, ExifDataDeleter> ed(exif_data_new());
  if (!ed) return facts;
  exif_data_unset_option(ed.get(), EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
  exif_data_load_data(ed.get(), data.data(), static_cast<unsigned int>(data.size()));
  const ExifByteOrder order = exif_data_get_byte_order(ed.get());

  facts.taken =
      IsoDateTime(Ascii(exif_content_get_entry(ed->ifd[EXIF_IFD_EXIF], EXIF_TAG_DATE_TIME_ORIGINAL)));
  if (facts.taken.empty())
    facts.taken = IsoDateTime(Ascii(exif_content_get_entry(ed->ifd[EXIF_IFD_0], EXIF_TAG_DATE_TIME)));

  ExifContent* gps = ed->ifd[EXIF_IFD_GPS];
  const double lat = Degrees(exif_content_get_entry(gps, static_cast<ExifTag>(EXIF_TAG_GPS_LATITUDE)), order);
  const double lon =
      Degrees(exif_content_get_entry(gps, static_cast<ExifTag>(EXIF_TAG_GPS_LONGITUDE)), order);
  const std::string lat_ref =
      Ascii(exif_content_get_entry(gps, static_cast<ExifTag>(EXIF_TAG_GPS_LATITUDE_REF)));
  const std::string lon_ref =
      Ascii(exif_content_get_entry(gps, static_cast<ExifTag>(EXIF_TAG_GPS_LONGITUDE_REF)));
  if (std::isfinite(lat) && std::isfinite(lon) && lat <= 90 && lon <= 180 &&
      (lat_ref == "N" || lat_ref == "S") && (lon_ref == "E" || lon_ref == "W")) {
    facts.has_location = true;
    facts.latitude = lat_ref == "S" ? -lat : lat;
    facts.longitude = lon_ref == "W" ? -lon : lon;
  }
  return facts;
}

}  // namespace facetag::image_internal
