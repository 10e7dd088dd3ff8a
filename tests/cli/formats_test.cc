// The same photo in every format and orientation facetag reads must give the same faces.
// Variants are made at test time with ImageMagick (a test-only Debian package), grid HEICs with
// libheif (support/heic_grid.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "facetag/face.h"
#include "facetag/image.h"
#include "support/heic_grid.h"
#include "support/run_process.h"
#include "support/test_env.h"

namespace facetag {
namespace {

namespace fs = std::filesystem;
using testing::RunProcess;

std::vector<Box> FacesOf(const fs::path& file, int* width = nullptr, int* height = nullptr) {
  const auto r = RunProcess({FACETAG_CLI_PATH, "faces", "--json", file.string()});
  EXPECT_EQ(r.exit_code, 0) << file << ": " << r.out << r.err;
  if (r.exit_code != 0) return {};
  const auto j = nlohmann::json::parse(r.out);
  if (width) *width = j.at("width");
  if (height) *height = j.at("height");
  std::vector<Box> boxes;
  for (const auto& f : j.at("faces")) {
    const auto b = f.at("box").get<std::vector<float>>();
    boxes.push_back({b[0], b[1], b[2], b[3]});
  }
  return boxes;
}

// Inserts an EXIF APP1 segment holding only Orientation = `orientation` after the JPEG's SOI.
std::string WithExifOrientation(const std::string& jpeg, int orientation) {
  const unsigned char tiff[] = {'M',  'M',  0, 42, 0, 0, 0, 8,  // big-endian TIFF, IFD at 8
                                0,    1,                        // one entry
                                0x01, 0x12, 0, 3,  0, 0, 0, 1, 0, static_cast<unsigned char>(orientation),
                                0,    0,            // Orientation SHORT
                                0,    0,    0, 0};  // no next IFD
  std::string app1 = "Exif";
  app1.append(2, '\0');
  app1.append(reinterpret_cast<const char*>(tiff), sizeof(tiff));
  const size_t length = app1.size() + 2;
  std::string segment = {static_cast<char>(0xFF), static_cast<char>(0xE1), static_cast<char>(length >> 8),
                         static_cast<char>(length & 0xFF)};
  return jpeg.substr(0, 2) + segment + app1 + jpeg.substr(2);
}

void ExpectSameBoxes(const std::vector<Box>& want, const std::vector<Box>& got, const std::string& what,
                     float min_iou = 0.85f) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (const Box& w : want) {
    float best = 0;
    for (const Box& g : got) best = std::max(best, IntersectionOverUnion(w, g));
    EXPECT_GE(best, min_iou) << what;
  }
}

class Formats : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("facetag-formats-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    plain_ = testing::BbtDir() / "bbt3.jpg";
    want_ = FacesOf(plain_, &width_, &height_);
    ASSERT_GE(want_.size(), 3u);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path Convert(const std::string& out_spec, std::vector<std::string> options) {
    std::vector<std::string> argv = {"/usr/bin/convert", plain_.string()};
    argv.insert(argv.end(), options.begin(), options.end());
    // "PNG48:deep.png": ImageMagick takes the format prefix in front of the whole path.
    const auto colon = out_spec.find(':');
    const std::string prefix = colon == std::string::npos ? "" : out_spec.substr(0, colon + 1);
    const fs::path out = dir_ / out_spec.substr(prefix.size());
    argv.push_back(prefix + out.string());
    const auto r = RunProcess(argv);
    EXPECT_EQ(r.exit_code, 0) << "ImageMagick: " << r.err;
    return out;
  }

  fs::path dir_, plain_;
  std::vector<Box> want_;
  int width_ = 0, height_ = 0;
};

TEST_F(Formats, CmykJpeg) {
  ExpectSameBoxes(want_, FacesOf(Convert("cmyk.jpg", {"-colorspace", "CMYK"})), "CMYK");
}

TEST_F(Formats, GrayscaleJpeg) {
  ExpectSameBoxes(want_, FacesOf(Convert("gray.jpg", {"-colorspace", "Gray"})), "grayscale");
}

TEST_F(Formats, SixteenBitPng) {
  ExpectSameBoxes(want_, FacesOf(Convert("PNG48:deep.png", {})), "16-bit PNG");
}

TEST_F(Formats, PaletteAndAlphaPng) {
  ExpectSameBoxes(want_, FacesOf(Convert("PNG32:alpha.png", {"-alpha", "on"})), "RGBA PNG");
}

TEST_F(Formats, WebP) { ExpectSameBoxes(want_, FacesOf(Convert("photo.webp", {"-quality", "95"})), "WebP"); }

TEST_F(Formats, Heic) { ExpectSameBoxes(want_, FacesOf(Convert("photo.heic", {"-quality", "95"})), "HEIC"); }

// Phones write HEIC as a grid of 512-pixel tiles. This 1100x700 crop of bbt1.jpg takes 3x2 tiles
// whose right column and bottom row overhang it, and one face straddles the first seam.
TEST_F(Formats, HeicGridWithOverhangingTiles) {
  const fs::path jpeg = dir_ / "crop.jpg";
  const auto crop = RunProcess({"/usr/bin/convert", (testing::BbtDir() / "bbt1.jpg").string(), "-crop",
                                "1100x700+30+40", "+repage", "-quality", "95", jpeg.string()});
  ASSERT_EQ(crop.exit_code, 0) << "ImageMagick: " << crop.err;
  const auto pixels = DecodeImageFile(jpeg);
  ASSERT_TRUE(pixels.ok()) << pixels.status().ToString();
  const auto heic = testing::EncodeHeicGrid(pixels->image, 512, 95);
  ASSERT_TRUE(heic.ok()) << heic.status().ToString();
  const fs::path grid = dir_ / "grid.heic";
  std::ofstream(grid, std::ios::binary)
      .write(reinterpret_cast<const char*>(heic->data()), static_cast<std::streamsize>(heic->size()));

  int jpeg_w = 0, jpeg_h = 0, heic_w = 0, heic_h = 0;
  const auto want = FacesOf(jpeg, &jpeg_w, &jpeg_h);
  ASSERT_EQ(want.size(), 4u) << "bbt1.jpg's crop should show four faces";
  const bool straddles =
      std::any_of(want.begin(), want.end(), [](const Box& b) { return b.x < 512 && b.x + b.width > 512; });
  EXPECT_TRUE(straddles) << "no face crosses the seam between the first two tile columns";
  const auto got = FacesOf(grid, &heic_w, &heic_h);
  EXPECT_EQ(heic_w, jpeg_w);
  EXPECT_EQ(heic_h, jpeg_h);
  ExpectSameBoxes(want, got, "grid HEIC", 0.9f);
}

TEST_F(Formats, ExifOrientationSixIsShownUpright) {
  // Store the pixels rotated 90 degrees counter-clockwise and tag them "rotate 90 CW to display".
  const fs::path stored = Convert("stored.jpg", {"-rotate", "270", "-quality", "95"});
  std::ifstream in(stored, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), {}};
  const fs::path tagged = dir_ / "tagged.jpg";
  std::ofstream(tagged, std::ios::binary) << WithExifOrientation(bytes, 6);

  int w = 0, h = 0;
  const auto got = FacesOf(tagged, &w, &h);
  EXPECT_EQ(w, width_);
  EXPECT_EQ(h, height_);
  ExpectSameBoxes(want_, got, "EXIF orientation 6");
}

}  // namespace
}  // namespace facetag
