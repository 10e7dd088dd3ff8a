// Decompression bombs: a header's size claim is refused before any pixel memory is allocated.
#include <sys/resource.h>

#include <chrono>

#include "facetag/image.h"
#include "image/test_images.h"

namespace facetag::testing {
namespace {

long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// Refused with exactly the documented message, fast, and without the peak RSS moving noticeably
// (decoding for real would need 10.8 GB).
void ExpectCheapRefusal(const Bytes& bomb) {
  const long rss_before = PeakRssKb();
  const auto start = std::chrono::steady_clock::now();
  const auto result = DecodeImage(bomb);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kTooLarge);
  EXPECT_EQ(result.status().message(), "image claims 60000x60000 pixels (3600 MP), limit is 200 MP");
  EXPECT_LT(std::chrono::duration<double>(elapsed).count(), 0.5);
  EXPECT_LT(PeakRssKb() - rss_before, 64 * 1024);
}

TEST(Limits, JpegClaiming60000SquaredIsRefusedCheaply) {
  ExpectCheapRefusal(PatchJpegSize(EncodeJpeg(Gradient(16, 16)), 60000, 60000));
}

TEST(Limits, ProgressiveJpegClaiming60000SquaredIsRefusedCheaply) {
  ExpectCheapRefusal(
      PatchJpegSize(EncodeJpeg(Gradient(16, 16), 90, TJSAMP_420, TJFLAG_PROGRESSIVE), 60000, 60000));
}

TEST(Limits, PngClaiming60000SquaredIsRefusedCheaply) {
  ExpectCheapRefusal(PatchPngSize(EncodePngRgb(Gradient(16, 16)), 60000, 60000));
}

TEST(Limits, PngClaimSurvivesCrcCheck) {
  // Without a recomputed CRC libpng would reject IHDR itself; make sure the bomb is realistic.
  Bytes png = PatchPngSize(EncodePngRgb(Gradient(16, 16)), 60000, 60000);
  EXPECT_EQ(Crc32(png.data() + 12, 17), (uint32_t{png[29]} << 24) | (uint32_t{png[30]} << 16) |
                                            (uint32_t{png[31]} << 8) | uint32_t{png[32]});
}

TEST(Limits, LimitIsInclusiveForEveryFormat) {
  const Image src = Gradient(40, 30);
  const std::pair<const char*, Bytes> inputs[] = {
      {"jpeg", EncodeJpeg(src)},
      {"png", EncodePngRgb(src)},
      {"webp", EncodeWebp(src, true)},
      {"heif", EncodeHeic(src)},
  };
  for (const auto& [name, bytes] : inputs) {
    SCOPED_TRACE(name);
    DecodeOptions options;
    options.max_pixels = 40 * 30;
    EXPECT_TRUE(DecodeImage(bytes, options).ok());
    options.max_pixels = 40 * 30 - 1;
    const auto result = DecodeImage(bytes, options);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), ErrorCode::kTooLarge);
    EXPECT_EQ(result.status().message(), "image claims 40x30 pixels (1200 pixels), limit is 1199 pixels");
  }
}

TEST(Limits, ReducedScaleDoesNotBypassTheLimit) {
  // The limit is on what the file claims, not on what a downscaled decode would allocate.
  DecodeOptions options;
  options.max_pixels = 1'000'000;
  options.min_long_side = 100;
  const auto result = DecodeImage(ReadBytes(BbtDir() / "bbt1.jpg"), options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kTooLarge);
  EXPECT_EQ(result.status().message(), "image claims 1366x768 pixels (1.05 MP), limit is 1.00 MP");
}

}  // namespace
}  // namespace facetag::testing
