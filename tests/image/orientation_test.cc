// EXIF Orientation: read from JPEG APP1, PNG eXIf and WebP EXIF, applied so pixels are displayed.
#include "facetag/image.h"
#include "image/test_images.h"

namespace facetag::testing {
namespace {

DecodedImage MustDecode(const Bytes& bytes, const DecodeOptions& options = {}) {
  auto result = DecodeImage(bytes, options);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? std::move(result).value() : DecodedImage{};
}

// Appends a chunk just before IEND, as writers do for metadata that follows the pixels.
Bytes PngWithChunkBeforeIend(const Bytes& png, const char* type, const Bytes& data) {
  Bytes chunk(8);
  PutBe32(chunk.data(), static_cast<uint32_t>(data.size()));
  std::memcpy(chunk.data() + 4, type, 4);
  chunk.insert(chunk.end(), data.begin(), data.end());
  chunk.resize(chunk.size() + 4);
  PutBe32(chunk.data() + chunk.size() - 4, Crc32(chunk.data() + 4, 4 + data.size()));
  Bytes out(png.begin(), png.end() - 12);
  out.insert(out.end(), chunk.begin(), chunk.end());
  out.insert(out.end(), png.end() - 12, png.end());
  return out;
}

TEST(Orientation, AllEightJpegOrientationsMatchReference) {
  const Bytes plain_jpeg = EncodeJpeg(Gradient(64, 40));
  const Image plain = TjDecode(plain_jpeg);
  for (int o = 1; o <= 8; ++o) {
    for (bool big_endian : {true, false}) {
      SCOPED_TRACE("orientation " + std::to_string(o) + (big_endian ? " MM" : " II"));
      const DecodedImage d = MustDecode(WithExifApp1(plain_jpeg, ExifTiff(o, big_endian)));
      EXPECT_EQ(d.orientation, o);
      const bool swapped = o >= 5;
      EXPECT_EQ(d.image.width, swapped ? 40 : 64);
      EXPECT_EQ(d.image.height, swapped ? 64 : 40);
      EXPECT_EQ(d.full_width, d.image.width);
      EXPECT_EQ(d.full_height, d.image.height);
      EXPECT_EQ(MeanAbsDiff(d.image, ReferenceOrient(plain, o)), 0.0);
    }
  }
}

// Independent of the reference above: where does each stored quadrant end up on screen?
TEST(Orientation, QuadrantsLandWhereAViewerShowsThem) {
  enum { kRed, kGreen, kBlue, kWhite };
  const auto colour_at = [](const Image& img, int x, int y) {
    const auto p = PixelAt(img, x, y);
    if (p[0] > 200 && p[1] > 200 && p[2] > 200) return kWhite;
    if (p[0] > 200) return kRed;
    if (p[1] > 200) return kGreen;
    return kBlue;
  };
  // Stored: red top-left, green top-right, blue bottom-left, white bottom-right.
  struct Case {
    int orientation;
    int top_left;
    int top_right;
  };
  const Bytes jpeg = EncodeJpeg(Quadrants(64, 48), 100);
  for (const Case c :
       {Case{1, kRed, kGreen}, Case{2, kGreen, kRed}, Case{3, kWhite, kBlue}, Case{4, kBlue, kWhite},
        Case{5, kRed, kBlue}, Case{6, kBlue, kRed}, Case{7, kWhite, kGreen}, Case{8, kGreen, kWhite}}) {
    SCOPED_TRACE(c.orientation);
    const DecodedImage d = MustDecode(WithExifApp1(jpeg, ExifTiff(c.orientation)));
    EXPECT_EQ(colour_at(d.image, 4, 4), c.top_left);
    EXPECT_EQ(colour_at(d.image, d.image.width - 5, 4), c.top_right);
  }
}

TEST(Orientation, ApplyOrientationFalseReportsButKeepsStoredPixels) {
  const Bytes plain_jpeg = EncodeJpeg(Gradient(64, 40));
  DecodeOptions options;
  options.apply_orientation = false;
  const DecodedImage d = MustDecode(WithExifApp1(plain_jpeg, ExifTiff(6)), options);
  EXPECT_EQ(d.orientation, 6);
  EXPECT_EQ(d.image.width, 64);
  EXPECT_EQ(d.full_width, 64);
  EXPECT_EQ(MeanAbsDiff(d.image, TjDecode(plain_jpeg)), 0.0);
}

TEST(Orientation, SharedPhotoRotatedSixWithReducedScale) {
  const Bytes jpeg = ReadBytes(BbtDir() / "bbt1.jpg");  // 1366x768
  DecodeOptions options;
  options.min_long_side = 683;
  const DecodedImage plain = MustDecode(jpeg, options);
  const DecodedImage d = MustDecode(WithExifApp1(jpeg, ExifTiff(6)), options);
  EXPECT_EQ(d.orientation, 6);
  EXPECT_EQ(d.full_width, 768);
  EXPECT_EQ(d.full_height, 1366);
  EXPECT_EQ(d.scale, 0.5);
  EXPECT_EQ(d.image.width, 384);
  EXPECT_EQ(d.image.height, 683);
  EXPECT_EQ(MeanAbsDiff(d.image, ReferenceOrient(plain.image, 6)), 0.0);
}

TEST(Orientation, PngExifBeforeAndAfterPixels) {
  const Image src = Gradient(30, 20);
  const DecodedImage before = MustDecode(EncodePngRgb(src, ExifTiff(6)));
  EXPECT_EQ(before.orientation, 6);
  EXPECT_EQ(MeanAbsDiff(before.image, ReferenceOrient(src, 6)), 0.0);
  const DecodedImage after =
      MustDecode(PngWithChunkBeforeIend(EncodePngRgb(src), "eXIf", ExifTiff(8, false)));
  EXPECT_EQ(after.orientation, 8);
  EXPECT_EQ(after.full_width, 20);
  EXPECT_EQ(MeanAbsDiff(after.image, ReferenceOrient(src, 8)), 0.0);
}

TEST(Orientation, WebpExifChunkWithAndWithoutPrefix) {
  const Image src = Gradient(30, 20);
  const Bytes webp = EncodeWebp(src, /*lossless=*/true);
  Bytes prefixed = {'E', 'x', 'i', 'f', 0, 0};
  const Bytes tiff = ExifTiff(3);
  prefixed.insert(prefixed.end(), tiff.begin(), tiff.end());
  for (const Bytes& exif : {tiff, prefixed}) {
    const DecodedImage d = MustDecode(WebpWithExif(webp, 30, 20, exif));
    EXPECT_EQ(d.orientation, 3);
    EXPECT_EQ(MeanAbsDiff(d.image, ReferenceOrient(src, 3)), 0.0);
  }
}

TEST(Orientation, BadExifIsIgnored) {
  const Bytes jpeg = EncodeJpeg(Gradient(32, 16));
  const Image plain = TjDecode(jpeg);
  Bytes out_of_range = ExifTiff(9);
  Bytes zero = ExifTiff(0);
  Bytes garbage = RandomBytes(200, 3);
  Bytes cut = ExifTiff(6);
  cut.resize(12);  // IFD entry missing
  for (const Bytes& exif : {out_of_range, zero, garbage, cut}) {
    const DecodedImage d = MustDecode(WithExifApp1(jpeg, exif));
    EXPECT_EQ(d.orientation, 1);
    EXPECT_EQ(MeanAbsDiff(d.image, plain), 0.0);
  }
}

}  // namespace
}  // namespace facetag::testing
