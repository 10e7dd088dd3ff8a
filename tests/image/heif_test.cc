// HEIF/HEIC/AVIF decoding through libheif, including the container's own rotation.
#include <algorithm>
#include <chrono>
#include <string_view>

#include "facetag/image.h"
#include "image/test_images.h"
#include "support/heic_grid.h"
#include "support/run_process.h"

namespace facetag::testing {
namespace {

DecodedImage MustDecode(const Bytes& bytes, const DecodeOptions& options = {}) {
  auto result = DecodeImage(bytes, options);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? std::move(result).value() : DecodedImage{};
}

Image Reference() {
  auto ref = DecodeImageFile(FixtureDir() / "ref.png");
  EXPECT_TRUE(ref.ok()) << ref.status().ToString();
  return ref.ok() ? ref->image : Image{};
}

// Fixtures written by ImageMagick, an encoder independent of the libheif calls below.
TEST(HeifDecode, ImageMagickHeicMatchesReference) {
  const DecodedImage d = MustDecode(ReadBytes(FixtureDir() / "ref.heic"));
  EXPECT_EQ(d.format, "heif");
  EXPECT_EQ(d.image.width, 160);
  EXPECT_EQ(d.image.height, 90);
  EXPECT_EQ(d.full_width, 160);
  EXPECT_EQ(d.scale, 1.0);
  EXPECT_LT(MeanAbsDiff(d.image, Reference()), 8.0);
}

TEST(HeifDecode, ImageMagickAvifMatchesReference) {
  const DecodedImage d = MustDecode(ReadBytes(FixtureDir() / "ref.avif"));
  EXPECT_EQ(d.format, "heif");
  EXPECT_EQ(d.image.width, 160);
  EXPECT_EQ(d.image.height, 90);
  EXPECT_LT(MeanAbsDiff(d.image, Reference()), 8.0);
}

TEST(HeifDecode, LibheifEncodedGradient) {
  const Image src = Gradient(64, 48);
  const DecodedImage d = MustDecode(EncodeHeic(src));
  EXPECT_EQ(d.image.width, 64);
  EXPECT_EQ(d.image.height, 48);
  EXPECT_LT(MeanAbsDiff(d.image, src), 4.0);
}

TEST(HeifDecode, TenBitBecomesEightBit) {
  const Image src = Gradient(64, 48);
  const Bytes heic = EncodeHeic(src, 1, 90, /*bit_depth=*/10);
  ASSERT_FALSE(heic.empty());
  heif_context* ctx = heif_context_alloc();
  ASSERT_EQ(heif_context_read_from_memory_without_copy(ctx, heic.data(), heic.size(), nullptr).code,
            heif_error_Ok);
  heif_image_handle* handle = nullptr;
  ASSERT_EQ(heif_context_get_primary_image_handle(ctx, &handle).code, heif_error_Ok);
  EXPECT_EQ(heif_image_handle_get_luma_bits_per_pixel(handle), 10) << "encoder did not keep 10 bits";
  heif_image_handle_release(handle);
  heif_context_free(ctx);
  const DecodedImage d = MustDecode(heic);
  EXPECT_EQ(d.image.width, 64);
  EXPECT_LT(MeanAbsDiff(d.image, src), 4.0);
}

TEST(HeifDecode, ContainerRotationIsApplied) {
  const Image src = Quadrants(64, 48);
  const Image plain = MustDecode(EncodeHeic(src)).image;
  const DecodedImage rotated = MustDecode(EncodeHeic(src, /*orientation=*/6));
  EXPECT_EQ(rotated.image.width, 48);
  EXPECT_EQ(rotated.image.height, 64);
  EXPECT_EQ(rotated.full_width, 48);
  EXPECT_EQ(rotated.full_height, 64);
  EXPECT_EQ(rotated.orientation, 1);  // nothing left for EXIF to do
  EXPECT_LT(MeanAbsDiff(rotated.image, ReferenceOrient(plain, 6)), 2.0);
  // Displayed top-left is the stored bottom-left quadrant (blue).
  const auto p = PixelAt(rotated.image, 4, 4);
  EXPECT_LT(p[0], 40);
  EXPECT_LT(p[1], 40);
  EXPECT_GT(p[2], 200);
}

TEST(HeifDecode, TruncatedIsCorrupt) {
  for (const char* name : {"ref.heic", "ref.avif"}) {
    const Bytes heif = ReadBytes(FixtureDir() / name);
    for (double fraction : {0.05, 0.3, 0.6, 0.95}) {
      SCOPED_TRACE(std::string(name) + " " + std::to_string(fraction));
      const auto result = DecodeImage(Truncated(heif, fraction));
      ASSERT_FALSE(result.ok());
      EXPECT_EQ(result.status().code(), ErrorCode::kCorrupt) << result.status().ToString();
    }
  }
}

// Found by the fuzzer: ispe says 24x16, the grid item's payload says 61699x8192. libheif 1.15 used
// to allocate and fill the 505 MP canvas (seconds of CPU, 1.5 GB) before anything could object.
TEST(HeifDecode, GridCanvasLargerThanDeclaredSizeIsRefusedCheaply) {
  const auto start = std::chrono::steady_clock::now();
  const auto result = DecodeImage(ReadBytes(FixtureDir() / "grid_canvas_bomb.heic"));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kCorrupt) << result.status().ToString();
  EXPECT_TRUE(Contains(result.status().message(), "61699x8192"));
  EXPECT_LT(seconds, 0.5);
}

// Found by the fuzzer: an identity-derived image ('iden', the primary) derives from item 1, whose
// entry is not an 'infe' box, so item 1 is no image. libheif 1.15 asserts on that and aborts the
// whole process; facetag refuses the file before libheif decodes it.
TEST(HeifDecode, AMalformedFileWithADerivedImageIsCorruptNotACrash) {
  const auto result = DecodeImage(ReadBytes(FixtureDir() / "iden_of_no_image.heic"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kCorrupt) << result.status().ToString();
}

// Found by the fuzzer next: a second top-level 'meta' box, the first with an overlay ('iovl')
// item and the second the file above. Which one libheif reads is its own business, so a file
// with derived images and more than one 'meta' is refused.
TEST(HeifDecode, ASecondMetaBoxBesideADerivedImageIsCorruptNotACrash) {
  const auto result = DecodeImage(ReadBytes(FixtureDir() / "two_metas_iden.heic"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kCorrupt) << result.status().ToString();
}

// Found by the fuzzer (CI, stop 20): the primary is a grid whose one tile is an overlay ('iovl')
// with a huge canvas. libheif 1.15 decodes a grid's tiles without the canvas limit the primary
// image gets, and allocated 3.5 GB for this 898-byte file (then answered 24x16). Derived images
// made from derived images are refused before libheif decodes anything.
TEST(HeifDecode, AGridOfAnOverlayIsRefusedBeforeLibheifAllocatesItsCanvas) {
  const auto result = DecodeImage(ReadBytes(FixtureDir() / "grid_of_overlay_bomb.heic"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kUnsupported) << result.status().ToString();
  EXPECT_TRUE(Contains(result.status().message(), "itself a derived image ('iovl')"))
      << result.status().ToString();
}

// The same file with the entry mended ('i[fe' back to 'infe'): item 1 is an hvc1 image again.
Bytes MendedIdentityDerivedHeif() {
  Bytes bytes = ReadBytes(FixtureDir() / "iden_of_no_image.heic");
  const std::string_view broken = "i[fe";
  auto at = std::search(bytes.begin(), bytes.end(), broken.begin(), broken.end());
  EXPECT_NE(at, bytes.end());
  if (at != bytes.end()) at[1] = 'n';
  return bytes;
}

// Well-formed, but item 1 is Exif data, not an image: the same abort in libheif, refused by name.
TEST(HeifDecode, ADerivedImageOfSomethingThatIsNoImageIsCorruptNotACrash) {
  Bytes bytes = MendedIdentityDerivedHeif();
  const std::string_view hvc1 = "hvc1";
  auto at = std::search(bytes.begin(), bytes.end(), hvc1.begin(), hvc1.end());
  ASSERT_NE(at, bytes.end());
  std::copy_n("Exif", 4, at);
  const auto result = DecodeImage(bytes);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kCorrupt) << result.status().ToString();
  EXPECT_TRUE(Contains(result.status().message(), "is made from item 1, which is no image"))
      << result.status().ToString();
}

// An identity-derived image of an image goes through to libheif (which decodes it or says why
// not): the check refuses nothing well-formed.
TEST(HeifDecode, ADerivedImageOfAnImageIsNotRefusedByTheCheck) {
  const auto result = DecodeImage(MendedIdentityDerivedHeif());
  if (!result.ok()) {
    EXPECT_FALSE(Contains(result.status().message(), "HEIF derived image")) << result.status().ToString();
    EXPECT_FALSE(Contains(result.status().message(), "HEIF file with derived images"))
        << result.status().ToString();
  }
}

// Phones store photos as grids of 512-pixel tiles. At 1000x700 the right column and the bottom
// row overhang the photo: the tiles are coded whole and the grid crops them.
TEST(HeifDecode, GridWithOverhangingTilesMatchesSource) {
  const Image src = Gradient(1000, 700);
  const auto heic = EncodeHeicGrid(src, 512);
  ASSERT_TRUE(heic.ok()) << heic.status().ToString();
  const DecodedImage d = MustDecode(*heic);
  EXPECT_EQ(d.format, "heif");
  EXPECT_EQ(d.image.width, 1000);
  EXPECT_EQ(d.image.height, 700);
  // A misplaced tile moves the gradient by hundreds of levels.
  EXPECT_LT(MeanAbsDiff(d.image, src), 4.0);
}

// An image smaller than its one tile: the coded tile (512x512) is larger than the size the file
// declares (300x200), as a phone's small HEIC is. It is padding, not a bomb.
TEST(HeifDecode, GridSmallerThanItsTileDecodes) {
  const Image src = Gradient(300, 200);
  const auto heic = EncodeHeicGrid(src, 512);
  ASSERT_TRUE(heic.ok()) << heic.status().ToString();
  const DecodedImage d = MustDecode(*heic);
  EXPECT_EQ(d.image.width, 300);
  EXPECT_EQ(d.image.height, 200);
  EXPECT_LT(MeanAbsDiff(d.image, src), 4.0);
}

// HEVC codes whole blocks: x265 codes 594x383 as 600x384, and 40x30 as 64x64.
TEST(HeifDecode, CodedSizePaddingIsNotRefused) {
  for (const auto& [w, h] : {std::pair{594, 383}, std::pair{40, 30}}) {
    SCOPED_TRACE(std::to_string(w) + "x" + std::to_string(h));
    const Image src = Gradient(w, h);
    const DecodedImage d = MustDecode(EncodeHeic(src));
    EXPECT_EQ(d.image.width, w);
    EXPECT_EQ(d.image.height, h);
    EXPECT_LT(MeanAbsDiff(d.image, src), 4.0);
  }
}

// The grid files are valid for libheif's own converter too, not only for facetag's decoder.
TEST(HeifDecode, GridFileIsReadByHeifConvert) {
  const Image src = Gradient(1000, 700);
  const auto heic = EncodeHeicGrid(src, 512);
  ASSERT_TRUE(heic.ok()) << heic.status().ToString();
  ScratchDir dir;
  WriteBytes(dir / "grid.heic", *heic);
  const auto r =
      RunProcess({"/usr/bin/heif-convert", (dir / "grid.heic").string(), (dir / "grid.png").string()});
  ASSERT_EQ(r.exit_code, 0) << "heif-convert (Debian's libheif-examples): " << r.out << r.err;
  const auto png = DecodeImageFile(dir / "grid.png");
  ASSERT_TRUE(png.ok()) << png.status().ToString();
  EXPECT_LT(MeanAbsDiff(png->image, src), 4.0);
}

TEST(HeifDecode, OverPixelLimitIsTooLarge) {
  DecodeOptions options;
  options.max_pixels = 160 * 90 - 1;
  const auto result = DecodeImage(ReadBytes(FixtureDir() / "ref.heic"), options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kTooLarge) << result.status().ToString();
  options.max_pixels = 160 * 90;
  EXPECT_TRUE(DecodeImage(ReadBytes(FixtureDir() / "ref.heic"), options).ok());
}

}  // namespace
}  // namespace facetag::testing
