// JPEG decoding: colour spaces, progressive, strictness about damage, DCT-domain downscaling.
#include "facetag/image.h"
#include "image/test_images.h"

namespace facetag::testing {
namespace {

DecodedImage MustDecode(const Bytes& bytes, const DecodeOptions& options = {}) {
  auto result = DecodeImage(bytes, options);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? std::move(result).value() : DecodedImage{};
}

bool HasMarker(const Bytes& jpeg, uint8_t marker) {
  for (size_t i = 0; i + 1 < jpeg.size(); ++i) {
    if (jpeg[i] == 0xFF && jpeg[i + 1] == marker) return true;
  }
  return false;
}

TEST(JpegDecode, SharedPhotosDecodeLikePlainTurboJpeg) {
  const std::pair<const char*, std::pair<int, int>> photos[] = {{"bbt1.jpg", {1366, 768}},
                                                                {"bbt2.jpg", {675, 469}},
                                                                {"bbt3.jpg", {594, 383}},
                                                                {"bbt4.jpg", {710, 473}},
                                                                {"bbt5.jpg", {940, 464}}};
  for (const auto& [name, size] : photos) {
    SCOPED_TRACE(name);
    const Bytes jpeg = ReadBytes(BbtDir() / name);
    const DecodedImage d = MustDecode(jpeg);
    EXPECT_EQ(d.format, "jpeg");
    EXPECT_EQ(d.image.width, size.first);
    EXPECT_EQ(d.image.height, size.second);
    EXPECT_EQ(MeanAbsDiff(d.image, TjDecode(jpeg)), 0.0);
  }
}

TEST(JpegDecode, SubsampledGradientIsCloseToSource) {
  const Image src = Gradient(97, 61);  // odd sizes: partial MCUs at both edges
  for (int ss : {TJSAMP_444, TJSAMP_422, TJSAMP_420, TJSAMP_440, TJSAMP_411}) {
    SCOPED_TRACE(ss);
    const DecodedImage d = MustDecode(EncodeJpeg(src, 95, ss));
    EXPECT_LT(MeanAbsDiff(d.image, src), 3.0);
  }
}

TEST(JpegDecode, Progressive) {
  const Image src = TjDecode(ReadBytes(BbtDir() / "bbt1.jpg"));
  const Bytes progressive = EncodeJpeg(src, 90, TJSAMP_420, TJFLAG_PROGRESSIVE);
  ASSERT_TRUE(HasMarker(progressive, 0xC2)) << "encoder did not write SOF2";
  const DecodedImage d = MustDecode(progressive);
  EXPECT_EQ(d.image.width, 1366);
  EXPECT_EQ(d.image.height, 768);
  EXPECT_EQ(MeanAbsDiff(d.image, TjDecode(progressive)), 0.0);
  EXPECT_LT(MeanAbsDiff(d.image, src), 3.0);
}

TEST(JpegDecode, GrayscaleBecomesGrayRgb) {
  const Image src = Gradient(80, 50);
  const Bytes gray = EncodeJpeg(src, 95, TJSAMP_GRAY);
  const DecodedImage d = MustDecode(gray);
  EXPECT_TRUE(IsGray(d.image));
  EXPECT_LT(MeanAbsDiff(d.image, ToGray(src)), 2.0);
}

// From an encoder other than the one we decode with: ImageMagick's CMYK JPEG, Photoshop-style
// (Adobe APP14, inverted samples).
TEST(JpegDecode, ImageMagickCmykMatchesRgbOriginal) {
  const Bytes cmyk = ReadBytes(FixtureDir() / "cmyk.jpg");
  ASSERT_FALSE(cmyk.empty());
  tjhandle tj = tjInitDecompress();
  int w = 0, h = 0, ss = 0, cs = -1;
  ASSERT_EQ(tjDecompressHeader3(tj, cmyk.data(), cmyk.size(), &w, &h, &ss, &cs), 0);
  tjDestroy(tj);
  ASSERT_TRUE(cs == TJCS_CMYK || cs == TJCS_YCCK) << "fixture is not CMYK: " << cs;

  const DecodedImage d = MustDecode(cmyk);
  const auto ref = DecodeImageFile(FixtureDir() / "ref.png");
  ASSERT_TRUE(ref.ok()) << ref.status().ToString();
  EXPECT_EQ(d.image.width, 160);
  EXPECT_EQ(d.image.height, 90);
  EXPECT_LT(MeanAbsDiff(d.image, ref->image), 6.0);
}

// YCCK written by TurboJPEG itself from Adobe-convention (inverted) CMYK samples.
TEST(JpegDecode, YcckFromInvertedCmyk) {
  const Image src = Gradient(64, 40);
  std::vector<uint8_t> cmyk(static_cast<size_t>(src.width) * src.height * 4);
  for (size_t i = 0, j = 0; i < src.rgb.size(); i += 3, j += 4) {
    const int r = src.rgb[i], g = src.rgb[i + 1], b = src.rgb[i + 2];
    const int k = std::max({r, g, b});  // inverted: 255 = no black ink
    cmyk[j + 0] = static_cast<uint8_t>(k ? r * 255 / k : 255);
    cmyk[j + 1] = static_cast<uint8_t>(k ? g * 255 / k : 255);
    cmyk[j + 2] = static_cast<uint8_t>(k ? b * 255 / k : 255);
    cmyk[j + 3] = static_cast<uint8_t>(k);
  }
  const Bytes jpeg = CompressJpeg(cmyk.data(), src.width, src.height, TJPF_CMYK, TJSAMP_444, 98);
  ASSERT_TRUE(HasMarker(jpeg, 0xEE)) << "expected an Adobe APP14 marker";
  const DecodedImage d = MustDecode(jpeg);
  EXPECT_LT(MeanAbsDiff(d.image, src), 4.0);
}

// TurboJPEG 2.x's header call rejects sampling factors it has no name for; the decode itself is fine.
TEST(JpegDecode, UnnamedSamplingFactorsStillDecode) {
  const Bytes jpeg = ReadBytes(FixtureDir() / "odd_sampling.jpg");
  tjhandle tj = tjInitDecompress();
  int w = 0, h = 0, ss = 0, cs = 0;
  EXPECT_NE(tjDecompressHeader3(tj, jpeg.data(), jpeg.size(), &w, &h, &ss, &cs), 0)
      << "fixture no longer exercises the fallback";
  tjDestroy(tj);
  const DecodedImage d = MustDecode(jpeg);
  EXPECT_EQ(d.image.width, 160);
  EXPECT_EQ(d.image.height, 90);
  const auto ref = DecodeImageFile(FixtureDir() / "ref.png");
  ASSERT_TRUE(ref.ok());
  // These factors cost quality at encode time: ImageMagick's own decode is 9.8 away as well.
  EXPECT_LT(MeanAbsDiff(d.image, ref->image), 11.0);
  DecodeOptions half;
  half.min_long_side = 80;
  EXPECT_EQ(MustDecode(jpeg, half).image.width, 80);
}

TEST(JpegDecode, TruncatedIsCorruptNotGreyFilled) {
  const Bytes jpeg = ReadBytes(BbtDir() / "bbt1.jpg");
  for (double fraction : {0.1, 0.5, 0.9, 0.999}) {
    SCOPED_TRACE(fraction);
    const auto result = DecodeImage(Truncated(jpeg, fraction));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), ErrorCode::kCorrupt);
    EXPECT_TRUE(Contains(result.status().message(), "truncated JPEG data"));
  }
  // Everything but the end-of-image marker.
  const auto result = DecodeImage(Bytes(jpeg.begin(), jpeg.end() - 2));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kCorrupt);
}

TEST(JpegDecode, TruncatedInsideHeaderIsCorrupt) {
  const Bytes jpeg = ReadBytes(BbtDir() / "bbt1.jpg");
  for (size_t size : {4u, 20u, 100u, 300u}) {
    SCOPED_TRACE(size);
    const auto result = DecodeImage(Bytes(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(size)));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), ErrorCode::kCorrupt) << result.status().ToString();
  }
}

TEST(JpegDecode, JunkBeforeEndMarkerIsTolerated) {
  // Camera firmware leaves stray bytes between segments; libjpeg warns and decodes in full.
  const Bytes jpeg = EncodeJpeg(Gradient(64, 48));
  ASSERT_EQ(jpeg[jpeg.size() - 2], 0xFF);
  Bytes junk(jpeg.begin(), jpeg.end() - 2);
  junk.insert(junk.end(), {0x12, 0x34, 0xFF, 0xD9});
  const DecodedImage d = MustDecode(junk);
  EXPECT_EQ(MeanAbsDiff(d.image, TjDecode(jpeg)), 0.0);
}

TEST(JpegDecode, TrailingGarbageAfterEndIsTolerated) {
  Bytes jpeg = EncodeJpeg(Gradient(64, 48));
  const Image plain = TjDecode(jpeg);
  const Bytes tail = RandomBytes(500, 7);
  jpeg.insert(jpeg.end(), tail.begin(), tail.end());
  EXPECT_EQ(MeanAbsDiff(MustDecode(jpeg).image, plain), 0.0);
}

// libjpeg cannot notice most flipped bits in entropy-coded data (they decode to wrong colours),
// so this asks for no crash, the right error code whenever one is reported, and that damage which
// breaks the stream's structure is reported at all.
TEST(JpegDecode, FlippedBytesNeverCrash) {
  const Bytes jpeg = ReadBytes(BbtDir() / "bbt1.jpg");
  int corrupt = 0;
  for (uint32_t seed = 1; seed <= 30; ++seed) {
    Bytes damaged = jpeg;
    std::mt19937 rng(seed);
    for (int i = 0; i < 16; ++i)
      damaged[1000 + rng() % (damaged.size() - 1000)] ^= static_cast<uint8_t>(1 + rng() % 255);
    const auto result = DecodeImage(damaged);
    if (result.ok()) {
      EXPECT_EQ(result->image.width, 1366);
      EXPECT_EQ(result->image.height, 768);
    } else {
      EXPECT_EQ(result.status().code(), ErrorCode::kCorrupt) << result.status().ToString();
      ++corrupt;
    }
  }
  EXPECT_GE(corrupt, 5) << "structural damage should be reported";
}

TEST(JpegDecode, ZeroHeightHeaderIsCorrupt) {
  const auto result = DecodeImage(PatchJpegSize(EncodeJpeg(Gradient(16, 16)), 16, 0));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kCorrupt) << result.status().ToString();
}

TEST(JpegDecode, TwelveBitIsUnsupportedOrCorrupt) {
  Bytes jpeg = EncodeJpeg(Gradient(16, 16));
  for (size_t i = 2; i + 4 < jpeg.size(); ++i) {
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) {
      jpeg[i + 4] = 12;  // sample precision
      break;
    }
  }
  const auto result = DecodeImage(jpeg);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kUnsupported) << result.status().ToString();
}

struct ScaleCase {
  int min_long_side;
  double scale;
  int width;
  int height;
};

TEST(JpegDecode, ReducedScalePicksSmallestFactorThatKeepsLongSide) {
  const Bytes jpeg = ReadBytes(BbtDir() / "bbt1.jpg");  // 1366x768
  const ScaleCase cases[] = {
      {0, 1.0, 1366, 768},   {5000, 1.0, 1366, 768}, {1366, 1.0, 1366, 768}, {684, 1.0, 1366, 768},
      {683, 0.5, 683, 384},  {600, 0.5, 683, 384},   {342, 0.25, 342, 192},  {172, 0.25, 342, 192},
      {171, 0.125, 171, 96}, {1, 0.125, 171, 96},
  };
  for (const ScaleCase& c : cases) {
    SCOPED_TRACE(c.min_long_side);
    DecodeOptions options;
    options.min_long_side = c.min_long_side;
    const DecodedImage d = MustDecode(jpeg, options);
    EXPECT_EQ(d.scale, c.scale);
    EXPECT_EQ(d.image.width, c.width);
    EXPECT_EQ(d.image.height, c.height);
    EXPECT_EQ(d.full_width, 1366);
    EXPECT_EQ(d.full_height, 768);
  }
}

TEST(JpegDecode, ReducedScaleLooksLikeDownsampledFull) {
  const Bytes jpeg = ReadBytes(BbtDir() / "bbt1.jpg");
  const Image full = TjDecode(jpeg);
  DecodeOptions options;
  options.min_long_side = 683;
  const DecodedImage half = MustDecode(jpeg, options);
  ASSERT_EQ(half.scale, 0.5);
  // 2x2 box filter of the full decode.
  Image box = MakeImage(half.image.width, half.image.height);
  for (int y = 0; y < box.height; ++y) {
    for (int x = 0; x < box.width; ++x) {
      for (int c = 0; c < 3; ++c) {
        int sum = 0, n = 0;
        for (int dy = 0; dy < 2; ++dy)
          for (int dx = 0; dx < 2; ++dx)
            if (2 * x + dx < full.width && 2 * y + dy < full.height) {
              sum += full.row(2 * y + dy)[3 * (2 * x + dx) + c];
              ++n;
            }
        box.row(y)[3 * x + c] = static_cast<uint8_t>(sum / n);
      }
    }
  }
  EXPECT_LT(MeanAbsDiff(half.image, box), 4.0);
}

TEST(JpegDecode, ReducedScaleAlsoForCmykAndGray) {
  DecodeOptions options;
  options.min_long_side = 40;
  const DecodedImage cmyk = MustDecode(ReadBytes(FixtureDir() / "cmyk.jpg"), options);  // 160x90
  EXPECT_EQ(cmyk.scale, 0.25);
  EXPECT_EQ(cmyk.image.width, 40);
  EXPECT_EQ(cmyk.image.height, 23);
  const DecodedImage gray = MustDecode(EncodeJpeg(Gradient(160, 90), 90, TJSAMP_GRAY), options);
  EXPECT_EQ(gray.scale, 0.25);
  EXPECT_TRUE(IsGray(gray.image));
}

}  // namespace
}  // namespace facetag::testing
