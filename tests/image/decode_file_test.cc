// DecodeImageFile and format sniffing: what a caller sees for every kind of bad path or file.
#include <sys/stat.h>
#include <unistd.h>

#include "facetag/image.h"
#include "image/test_images.h"

namespace facetag::testing {
namespace {

TEST(DecodeImageFile, DecodesRealPhoto) {
  const auto path = BbtDir() / "bbt1.jpg";
  const auto result = DecodeImageFile(path);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->format, "jpeg");
  EXPECT_EQ(result->image.width, 1366);
  EXPECT_EQ(result->image.height, 768);
  EXPECT_EQ(result->full_width, 1366);
  EXPECT_EQ(result->full_height, 768);
  EXPECT_EQ(result->scale, 1.0);
  EXPECT_EQ(result->orientation, 1);
  EXPECT_EQ(result->image.rgb.size(), 1366u * 768u * 3u);
}

TEST(DecodeImageFile, MissingFileIsNotFound) {
  ScratchDir dir;
  const auto path = dir / "nope.jpg";
  const auto result = DecodeImageFile(path);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(Contains(result.status().message(), "no such file: "));
  EXPECT_TRUE(Contains(result.status().message(), "nope.jpg"));
}

TEST(DecodeImageFile, MissingParentIsNotFound) {
  ScratchDir dir;
  const auto result = DecodeImageFile(dir / "no_dir" / "x.jpg");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kNotFound);
}

TEST(DecodeImageFile, DirectoryNamedLikeAnImageIsInvalidArgument) {
  ScratchDir dir;
  std::filesystem::create_directory(dir / "x.jpg");
  const auto result = DecodeImageFile(dir / "x.jpg");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(Contains(result.status().message(), "is a directory"));
}

TEST(DecodeImageFile, EmptyFileIsCorrupt) {
  ScratchDir dir;
  WriteBytes(dir / "empty.jpg", {});
  const auto result = DecodeImageFile(dir / "empty.jpg");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kCorrupt);
  EXPECT_TRUE(Contains(result.status().message(), "empty file"));
}

TEST(DecodeImageFile, FileOverByteLimitIsTooLargeBeforeReading) {
  ScratchDir dir;
  const Bytes jpeg = ReadBytes(BbtDir() / "bbt1.jpg");
  WriteBytes(dir / "big.jpg", jpeg);
  DecodeOptions options;
  options.max_file_bytes = jpeg.size() - 1;
  auto result = DecodeImageFile(dir / "big.jpg", options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kTooLarge);
  EXPECT_TRUE(Contains(result.status().message(), std::to_string(jpeg.size()) + " bytes"));
  options.max_file_bytes = jpeg.size();
  result = DecodeImageFile(dir / "big.jpg", options);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
}

TEST(DecodeImageFile, UnreadableFileIsIoError) {
  ScratchDir dir;
  std::filesystem::path path = dir / "locked.jpg";
  WriteBytes(path, ReadBytes(BbtDir() / "bbt1.jpg"));
  ASSERT_EQ(::chmod(path.c_str(), 0), 0);
  if (::geteuid() == 0) {
    // Root reads files whatever their mode; a write-only sysfs attribute is refused even to root.
    path = "/sys/bus/pci/rescan";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "running as root and " << path << " is missing";
  }
  const auto result = DecodeImageFile(path);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kIoError) << result.status().ToString();
  EXPECT_TRUE(Contains(result.status().message(), path.string()));
}

TEST(DecodeImageFile, FifoIsInvalidArgumentWithoutBlocking) {
  ScratchDir dir;
  ASSERT_EQ(::mkfifo((dir / "pipe.jpg").c_str(), 0600), 0);
  const auto result = DecodeImageFile(dir / "pipe.jpg");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(Contains(result.status().message(), "not a regular file"));
}

TEST(DecodeImageFile, TextNamedPngIsUnsupported) {
  ScratchDir dir;
  const std::string text = "hello, this is not a picture\n";
  WriteBytes(dir / "notes.png", Bytes(text.begin(), text.end()));
  const auto result = DecodeImageFile(dir / "notes.png");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kUnsupported);
  EXPECT_TRUE(Contains(result.status().message(), "not an image: unrecognised format"));
  EXPECT_TRUE(Contains(result.status().message(), "notes.png"));
}

TEST(DecodeImageFile, FormatComesFromBytesNotName) {
  ScratchDir dir;
  WriteBytes(dir / "really_a_jpeg.png", ReadBytes(BbtDir() / "bbt1.jpg"));
  const auto result = DecodeImageFile(dir / "really_a_jpeg.png");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->format, "jpeg");
}

TEST(DecodeImageFile, DecodeErrorsNameTheFile) {
  ScratchDir dir;
  WriteBytes(dir / "cut.jpg", Truncated(ReadBytes(BbtDir() / "bbt1.jpg"), 0.5));
  const auto result = DecodeImageFile(dir / "cut.jpg");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kCorrupt);
  EXPECT_TRUE(Contains(result.status().message(), "cut.jpg: truncated"));
}

TEST(DecodeImage, EmptySpanIsCorrupt) {
  const auto result = DecodeImage({});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kCorrupt);
}

TEST(DecodeImage, RandomBytesAreUnsupported) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    Bytes bytes = RandomBytes(4096, seed);
    bytes[0] = 0x00;  // keep clear of the JPEG magic
    const auto result = DecodeImage(bytes);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), ErrorCode::kUnsupported) << result.status().ToString();
  }
}

TEST(DecodeImage, KnownButUnsupportedFormatsAreNamed) {
  const std::string gif = "GIF89a\x01\x00\x01\x00\x00\x00\x00;";
  auto result = DecodeImage(Bytes(gif.begin(), gif.end()));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kUnsupported);
  EXPECT_TRUE(Contains(result.status().message(), "GIF"));

  // An MP4 is ISO-BMFF like HEIF but must not reach libheif.
  const Bytes mp4 = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm',
                     0, 0, 2, 0,    'i', 's', 'o', 'm', 'm', 'p', '4', '1'};
  result = DecodeImage(mp4);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kUnsupported);
  EXPECT_TRUE(Contains(result.status().message(), "isom"));
}

TEST(DecodeImage, MagicAloneIsCorruptNotACrash) {
  for (const Bytes& magic : {Bytes{0xFF, 0xD8, 0xFF}, Bytes{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'},
                             Bytes{'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'},
                             Bytes{0, 0, 0, 16, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0}}) {
    const auto result = DecodeImage(magic);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), ErrorCode::kCorrupt) << result.status().ToString();
  }
}

}  // namespace
}  // namespace facetag::testing
