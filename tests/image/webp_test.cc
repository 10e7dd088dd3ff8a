// WebP decoding: lossy, lossless, alpha dropped, truncation.
#include "facetag/image.h"
#include "image/test_images.h"

namespace facetag::testing {
namespace {

DecodedImage MustDecode(const Bytes& bytes, const DecodeOptions& options = {}) {
  auto result = DecodeImage(bytes, options);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? std::move(result).value() : DecodedImage{};
}

TEST(WebpDecode, LosslessIsExact) {
  const Image src = Gradient(97, 61);
  const DecodedImage d = MustDecode(EncodeWebp(src, /*lossless=*/true));
  EXPECT_EQ(d.format, "webp");
  EXPECT_EQ(d.full_width, 97);
  EXPECT_EQ(d.full_height, 61);
  EXPECT_EQ(MeanAbsDiff(d.image, src), 0.0);
}

TEST(WebpDecode, LossyIsClose) {
  const Image src = TjDecode(ReadBytes(BbtDir() / "bbt3.jpg"));
  const DecodedImage d = MustDecode(EncodeWebp(src, /*lossless=*/false, 90));
  EXPECT_EQ(d.image.width, src.width);
  EXPECT_EQ(d.image.height, src.height);
  EXPECT_LT(MeanAbsDiff(d.image, src), 4.0);
}

TEST(WebpDecode, AlphaIsDroppedNotComposited) {
  const int w = 32, h = 16;
  std::vector<uint8_t> rgba;
  Image expected = MakeImage(w, h);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const uint8_t rgb[3] = {static_cast<uint8_t>(200 - x), static_cast<uint8_t>(10 + y * 5), 30};
      rgba.insert(rgba.end(), rgb, rgb + 3);
      // Never 0: the lossless encoder may rewrite the colour of fully transparent pixels.
      rgba.push_back(static_cast<uint8_t>(1 + (x * 8 + y) % 254));
      std::memcpy(expected.row(y) + 3 * x, rgb, 3);
    }
  }
  EXPECT_EQ(MeanAbsDiff(MustDecode(EncodeWebpRgba(rgba, w, h)).image, expected), 0.0);
}

TEST(WebpDecode, TruncatedIsCorrupt) {
  const Image src = TjDecode(ReadBytes(BbtDir() / "bbt3.jpg"));
  for (bool lossless : {false, true}) {
    const Bytes webp = EncodeWebp(src, lossless, 80);
    for (double fraction : {0.001, 0.05, 0.5, 0.95}) {
      SCOPED_TRACE(std::to_string(lossless) + " " + std::to_string(fraction));
      const Bytes cut = Truncated(webp, fraction);
      if (cut.size() < 12) continue;  // too short to be sniffed as WebP at all
      const auto result = DecodeImage(cut);
      ASSERT_FALSE(result.ok());
      EXPECT_EQ(result.status().code(), ErrorCode::kCorrupt) << result.status().ToString();
      EXPECT_TRUE(Contains(result.status().message(), "truncated WebP"));
    }
  }
}

TEST(WebpDecode, GarbageAfterHeaderIsCorrupt) {
  Bytes webp = EncodeWebp(Gradient(64, 64), false);
  for (size_t i = 40; i < webp.size(); ++i) webp[i] = static_cast<uint8_t>(i * 37);
  const auto result = DecodeImage(webp);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kCorrupt) << result.status().ToString();
}

TEST(WebpDecode, AnimationIsUnsupported) {
  // Extended header with the animation flag, an ANIM chunk and one ANMF frame.
  const Bytes frame = EncodeWebp(Gradient(8, 8), true);
  Bytes body = {'W', 'E', 'B', 'P', 'V', 'P', '8', 'X'};
  PutLe32(body, 10);
  body.insert(body.end(), {0x02, 0, 0, 0, 7, 0, 0, 7, 0, 0});
  body.insert(body.end(), {'A', 'N', 'I', 'M'});
  PutLe32(body, 6);
  body.insert(body.end(), {0, 0, 0, 0, 0, 0});
  const Bytes bitstream(frame.begin() + 12, frame.end());
  body.insert(body.end(), {'A', 'N', 'M', 'F'});
  PutLe32(body, static_cast<uint32_t>(16 + bitstream.size()));
  body.insert(body.end(), {0, 0, 0, 0, 0, 0, 7, 0, 0, 7, 0, 0, 100, 0, 0, 0});
  body.insert(body.end(), bitstream.begin(), bitstream.end());
  Bytes webp = {'R', 'I', 'F', 'F'};
  PutLe32(webp, static_cast<uint32_t>(body.size()));
  webp.insert(webp.end(), body.begin(), body.end());
  const auto result = DecodeImage(webp);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kUnsupported) << result.status().ToString();
  EXPECT_TRUE(Contains(result.status().message(), "animated"));
}

// Issue 14: WebP decoded every pixel whatever the nets needed (JPEG already decoded scaled).
// Now libwebp scales while decoding, by JPEG's rule, and only the scaled pixels are allocated.
TEST(HardeningWebp, ScaledDecodeAllocatesOnlyWhatIsAsked) {
  const Image src = Gradient(1000, 600);
  const Bytes webp = EncodeWebp(src, /*lossless=*/true);
  DecodeOptions options;
  options.min_long_side = 240;             // 1/4 (250 px) reaches it, 1/8 (125 px) does not
  options.max_decoded_pixels = 250 * 150;  // a full decode (600,000 pixels) would be refused
  uint64_t reserved = 0;
  options.reserve_pixels = [&](uint64_t pixels) {
    reserved = pixels;
    return Status::Ok();
  };
  const DecodedImage d = MustDecode(webp, options);
  EXPECT_EQ(d.image.width, 250);
  EXPECT_EQ(d.image.height, 150);
  EXPECT_EQ(d.full_width, 1000);
  EXPECT_EQ(d.full_height, 600);
  EXPECT_DOUBLE_EQ(d.scale, 0.25);
  EXPECT_EQ(reserved, 250u * 150u);
  // The scaled pixels are the picture's: every 4th source pixel, within the filter's blur.
  Image expected = MakeImage(250, 150);
  for (int y = 0; y < 150; ++y)
    for (int x = 0; x < 250; ++x) std::memcpy(expected.row(y) + 3 * x, src.row(y * 4) + 3 * (x * 4), 3);
  EXPECT_LT(MeanAbsDiff(d.image, expected), 6.0);

  options.min_long_side = 0;  // full resolution: over this request's pixel limit
  EXPECT_EQ(DecodeImage(webp, options).status().code(), ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace facetag::testing
