// Photos with EXIF facts, made at test time with libexif: the faces-bbt photos carry no EXIF.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace facetag::testing {

// `jpeg` with an APP1 EXIF segment right after SOI holding DateTimeOriginal `taken`
// ("YYYY:MM:DD HH:MM:SS", as cameras write it; empty: none) and, when given, a GPS position
// (latitude, longitude in signed degrees).
std::string JpegWithExif(const std::string& jpeg, const std::string& taken,
                         std::optional<std::pair<double, double>> position = std::nullopt);

}  // namespace facetag::testing
