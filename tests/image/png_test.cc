// PNG decoding: every colour type and depth ends up as 8-bit RGB, alpha dropped not composited.
#include "facetag/image.h"
#include "image/test_images.h"

namespace facetag::testing {
namespace {

DecodedImage MustDecode(const Bytes& bytes, const DecodeOptions& options = {}) {
  auto result = DecodeImage(bytes, options);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? std::move(result).value() : DecodedImage{};
}

// Per-pixel values v(x, y) in 0..255 that hit every byte value on a 16x16 image.
uint8_t Value(int x, int y, int channel) { return static_cast<uint8_t>(x * 16 + y + channel * 85); }

TEST(PngDecode, Rgb8IsExact) {
  const Image src = Gradient(97, 61);
  const DecodedImage d = MustDecode(EncodePngRgb(src));
  EXPECT_EQ(d.format, "png");
  EXPECT_EQ(d.full_width, 97);
  EXPECT_EQ(d.full_height, 61);
  EXPECT_EQ(d.scale, 1.0);
  EXPECT_EQ(MeanAbsDiff(d.image, src), 0.0);
}

TEST(PngDecode, InterlacedIsExact) {
  const Image src = Gradient(37, 23);
  PngSpec s;
  s.width = src.width;
  s.height = src.height;
  s.rows = src.rgb;
  s.interlaced = true;
  EXPECT_EQ(MeanAbsDiff(MustDecode(EncodePng(s)).image, src), 0.0);
}

TEST(PngDecode, RgbaAlphaIsDroppedNotComposited) {
  PngSpec s;
  s.width = s.height = 16;
  s.color_type = PNG_COLOR_TYPE_RGBA;
  Image expected = MakeImage(16, 16);
  for (int y = 0; y < 16; ++y) {
    for (int x = 0; x < 16; ++x) {
      for (int c = 0; c < 3; ++c) {
        s.rows.push_back(Value(x, y, c));
        expected.row(y)[3 * x + c] = Value(x, y, c);
      }
      s.rows.push_back(static_cast<uint8_t>((x + y) % 3 == 0 ? 0 : x * 16));  // many fully transparent
    }
  }
  EXPECT_EQ(MeanAbsDiff(MustDecode(EncodePng(s)).image, expected), 0.0);
}

TEST(PngDecode, SixteenBitRgbAndRgbaScaleTo8Bit) {
  for (int color_type : {PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGBA}) {
    SCOPED_TRACE(color_type);
    PngSpec s;
    s.width = s.height = 16;
    s.color_type = color_type;
    s.bit_depth = 16;
    Image expected = MakeImage(16, 16);
    for (int y = 0; y < 16; ++y) {
      for (int x = 0; x < 16; ++x) {
        for (int c = 0; c < (color_type == PNG_COLOR_TYPE_RGBA ? 4 : 3); ++c) {
          const uint8_t v = c < 3 ? Value(x, y, c) : static_cast<uint8_t>(y * 16);
          const unsigned v16 = v * 257u;  // exactly v after 16 -> 8 scaling
          s.rows.push_back(static_cast<uint8_t>(v16 >> 8));
          s.rows.push_back(static_cast<uint8_t>(v16));
          if (c < 3) expected.row(y)[3 * x + c] = v;
        }
      }
    }
    EXPECT_EQ(MeanAbsDiff(MustDecode(EncodePng(s)).image, expected), 0.0);
  }
}

TEST(PngDecode, GrayDepthsExpandToGrayRgb) {
  struct Case {
    int bit_depth;
    int max;
  };
  for (const Case c : {Case{1, 1}, Case{2, 3}, Case{4, 15}, Case{8, 255}, Case{16, 65535}}) {
    SCOPED_TRACE(c.bit_depth);
    PngSpec s;
    s.width = 19;  // not a multiple of 8: padding bits at the row end
    s.height = 5;
    s.color_type = PNG_COLOR_TYPE_GRAY;
    s.bit_depth = c.bit_depth;
    Image expected = MakeImage(s.width, s.height);
    const int per_byte = c.bit_depth < 8 ? 8 / c.bit_depth : 1;
    const size_t stride = c.bit_depth < 8 ? (s.width + per_byte - 1) / per_byte : s.width * (c.bit_depth / 8);
    s.rows.assign(stride * s.height, 0);
    for (int y = 0; y < s.height; ++y) {
      for (int x = 0; x < s.width; ++x) {
        const int level = (x * 7 + y * 3) % (c.max + 1);
        uint8_t* row = s.rows.data() + y * stride;
        if (c.bit_depth < 8) {
          row[x / per_byte] |= static_cast<uint8_t>(level << (8 - c.bit_depth * (x % per_byte + 1)));
        } else if (c.bit_depth == 8) {
          row[x] = static_cast<uint8_t>(level);
        } else {
          const unsigned v16 = static_cast<unsigned>(level) * 257u % 65536u;
          row[2 * x] = static_cast<uint8_t>(v16 >> 8);
          row[2 * x + 1] = static_cast<uint8_t>(v16);
        }
        const double v8 = c.bit_depth == 16 ? ((static_cast<unsigned>(level) * 257u) % 65536u) / 257.0
                                            : level * 255.0 / c.max;
        const auto v = static_cast<uint8_t>(std::lround(v8));
        expected.row(y)[3 * x] = expected.row(y)[3 * x + 1] = expected.row(y)[3 * x + 2] = v;
      }
    }
    const DecodedImage d = MustDecode(EncodePng(s));
    EXPECT_TRUE(IsGray(d.image));
    EXPECT_LE(MeanAbsDiff(d.image, expected), c.bit_depth == 16 ? 0.5 : 0.0);
  }
}

TEST(PngDecode, GrayAlphaDropsAlpha) {
  for (int bit_depth : {8, 16}) {
    PngSpec s;
    s.width = s.height = 16;
    s.color_type = PNG_COLOR_TYPE_GRAY_ALPHA;
    s.bit_depth = bit_depth;
    Image expected = MakeImage(16, 16);
    for (int y = 0; y < 16; ++y) {
      for (int x = 0; x < 16; ++x) {
        const uint8_t v = Value(x, y, 0);
        for (uint8_t sample : {v, static_cast<uint8_t>(x == y ? 0 : 128)}) {
          s.rows.push_back(sample);
          if (bit_depth == 16) s.rows.push_back(sample);  // v * 257
        }
        expected.row(y)[3 * x] = expected.row(y)[3 * x + 1] = expected.row(y)[3 * x + 2] = v;
      }
    }
    EXPECT_EQ(MeanAbsDiff(MustDecode(EncodePng(s)).image, expected), 0.0) << bit_depth;
  }
}

TEST(PngDecode, PaletteWithTransparencyUsesPaletteColours) {
  for (int bit_depth : {2, 8}) {
    SCOPED_TRACE(bit_depth);
    PngSpec s;
    s.width = 9;
    s.height = 4;
    s.color_type = PNG_COLOR_TYPE_PALETTE;
    s.bit_depth = bit_depth;
    s.palette = {{250, 10, 20}, {5, 200, 40}, {30, 60, 240}, {128, 128, 0}};
    s.palette_alpha = {0, 64, 255, 10};
    const size_t stride = bit_depth == 2 ? 3 : 9;
    s.rows.assign(stride * s.height, 0);
    Image expected = MakeImage(s.width, s.height);
    for (int y = 0; y < s.height; ++y) {
      for (int x = 0; x < s.width; ++x) {
        const int index = (x + y) % 4;
        if (bit_depth == 2) {
          s.rows[y * stride + x / 4] |= static_cast<uint8_t>(index << (6 - 2 * (x % 4)));
        } else {
          s.rows[y * stride + x] = static_cast<uint8_t>(index);
        }
        const png_color& c = s.palette[static_cast<size_t>(index)];
        expected.row(y)[3 * x] = c.red;
        expected.row(y)[3 * x + 1] = c.green;
        expected.row(y)[3 * x + 2] = c.blue;
      }
    }
    EXPECT_EQ(MeanAbsDiff(MustDecode(EncodePng(s)).image, expected), 0.0);
  }
}

// A real file from the shared data set (8-bit gray crops), against libpng's simplified reader.
TEST(PngDecode, SharedCropMatchesLibpngSimplifiedApi) {
  const Bytes bytes = ReadBytes(BbtDir() / "amy" / "amy1.png");
  png_image ref{};
  ref.version = PNG_IMAGE_VERSION;
  ASSERT_TRUE(png_image_begin_read_from_memory(&ref, bytes.data(), bytes.size()));
  ref.format = PNG_FORMAT_RGB;
  Image expected = MakeImage(static_cast<int>(ref.width), static_cast<int>(ref.height));
  ASSERT_TRUE(png_image_finish_read(&ref, nullptr, expected.rgb.data(), 0, nullptr));
  const DecodedImage d = MustDecode(bytes);
  EXPECT_EQ(d.image.width, 150);
  EXPECT_EQ(d.image.height, 150);
  EXPECT_LT(MeanAbsDiff(d.image, expected), 0.5);
}

TEST(PngDecode, TruncatedIsCorrupt) {
  const Bytes png = EncodePngRgb(Gradient(120, 80));
  for (double fraction : {0.02, 0.3, 0.6, 0.95}) {
    SCOPED_TRACE(fraction);
    const auto result = DecodeImage(Truncated(png, fraction));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), ErrorCode::kCorrupt);
    EXPECT_TRUE(Contains(result.status().message(), "truncated PNG"));
  }
  // All pixel data present, IEND missing.
  const auto result = DecodeImage(Bytes(png.begin(), png.end() - 12));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kCorrupt);
}

TEST(PngDecode, DamagedIdatIsCorrupt) {
  const Bytes png = EncodePngRgb(Gradient(64, 64));
  const auto idat = static_cast<size_t>(
      std::search(png.begin(), png.end(), std::begin("IDAT"), std::end("IDAT") - 1) - png.begin());
  ASSERT_LT(idat, png.size());
  const uint32_t length = (uint32_t{png[idat - 4]} << 24) | (uint32_t{png[idat - 3]} << 16) |
                          (uint32_t{png[idat - 2]} << 8) | uint32_t{png[idat - 1]};
  // Damaged compressed data: zlib notices before the chunk's CRC is read.
  Bytes data_damaged = png;
  data_damaged[idat + 10] ^= 0x55;
  auto result = DecodeImage(data_damaged);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kCorrupt);
  // Intact data, wrong CRC.
  Bytes crc_damaged = png;
  crc_damaged[idat + 4 + length] ^= 0x01;
  result = DecodeImage(crc_damaged);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kCorrupt);
  EXPECT_TRUE(Contains(result.status().message(), "CRC"));
}

TEST(PngDecode, ZeroWidthIsCorrupt) {
  const auto result = DecodeImage(PatchPngSize(EncodePngRgb(Gradient(8, 8)), 0, 8));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kCorrupt);
}

TEST(PngDecode, SizeBeyondPngRangeIsTooLarge) {
  const auto result = DecodeImage(PatchPngSize(EncodePngRgb(Gradient(8, 8)), 0x80000000u, 1));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kTooLarge);
}

TEST(PngDecode, HeaderSizeLargerThanDataIsCorrupt) {
  // IHDR claims 8x9 but IDAT holds 8 rows.
  const auto result = DecodeImage(PatchPngSize(EncodePngRgb(Gradient(8, 8)), 8, 9));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kCorrupt);
}

}  // namespace
}  // namespace facetag::testing
