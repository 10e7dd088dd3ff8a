// When and where from EXIF: DateTimeOriginal and the GPS position, read only when asked.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "facetag/image.h"
#include "image/orientation.h"
#include "support/exif_writer.h"
#include "support/test_env.h"

namespace facetag::testing {
namespace {

std::string Bbt2() {
  std::ifstream f(BbtDir() / "bbt2.jpg", std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

Result<DecodedImage> Decode(const std::string& bytes, bool facts = true) {
  DecodeOptions options;
  options.read_exif_facts = facts;
  return DecodeImage({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}, options);
}

TEST(ExifFacts, DateAndPositionOfAJpeg) {
  auto d = Decode(JpegWithExif(Bbt2(), "2019:05:04 13:22:10", std::make_pair(-33.8568, 151.2153)));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->exif.taken, "2019-05-04T13:22:10");
  ASSERT_TRUE(d->exif.has_location);
  EXPECT_NEAR(d->exif.latitude, -33.8568, 1e-5);
  EXPECT_NEAR(d->exif.longitude, 151.2153, 1e-5);
  EXPECT_EQ(d->image.width, 675);  // the pixels are unchanged
}

TEST(ExifFacts, OnlyWhenAsked) {
  auto d = Decode(JpegWithExif(Bbt2(), "2019:05:04 13:22:10"), false);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->exif.taken, "");
}

TEST(ExifFacts, NoExifOrBlankValuesMeanUnknown) {
  auto plain = Decode(Bbt2());
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->exif.taken, "");
  EXPECT_FALSE(plain->exif.has_location);
  auto blank = Decode(JpegWithExif(Bbt2(), "0000:00:00 00:00:00"));
  ASSERT_TRUE(blank.ok());
  EXPECT_EQ(blank->exif.taken, "");
  auto spaces = Decode(JpegWithExif(Bbt2(), "    :  :     :  :  "));
  ASSERT_TRUE(spaces.ok());
  EXPECT_EQ(spaces->exif.taken, "");
}

TEST(ExifFacts, GarbageIsIgnored) {
  const char raw[] = "Exif\0\0garbage that is not TIFF at all";
  const std::string junk(raw, sizeof raw - 1);
  const auto facts = image_internal::ExifFacts({reinterpret_cast<const uint8_t*>(junk.data()), junk.size()});
  EXPECT_EQ(facts.taken, "");
  EXPECT_FALSE(facts.has_location);
}

}  // namespace
}  // namespace facetag::testing
