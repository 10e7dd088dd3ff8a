// A file's size and modification time: what the indexer's "unchanged?" test compares.
#include "library/file_stat.h"

#include <chrono>
#include <filesystem>
#include <fstream>

#include "catalog/catalog_fixture.h"

namespace facetag::testing {
namespace {

namespace fs = std::filesystem;

TEST(StatFile, GivesTheSizeInBytesAndTheModificationTimeInNanoseconds) {
  TempDir dir;
  const auto file = dir.path() / "abc.bin";
  std::ofstream(file, std::ios::binary) << "abc";
  // 2023-11-14T22:13:20.123456789Z: a time with nanoseconds, which the catalog keeps whole.
  const std::chrono::sys_time<std::chrono::nanoseconds> mtime{std::chrono::nanoseconds(1700000000123456789)};
  fs::last_write_time(file, fs::file_time_type::clock::from_sys(mtime));
  auto stat = library::StatFile(file);
  ASSERT_TRUE(stat.ok()) << stat.status().ToString();
  EXPECT_EQ(stat->size, 3);
  EXPECT_EQ(stat->mtime_ns, 1700000000123456789);
}

TEST(StatFile, NamesTheFileItCannotStat) {
  TempDir dir;
  auto stat = library::StatFile(dir.path() / "absent.jpg");
  ASSERT_FALSE(stat.ok());
  EXPECT_EQ(stat.status().code(), ErrorCode::kIoError);
  EXPECT_NE(stat.status().message().find("absent.jpg"), std::string::npos) << stat.status().ToString();
}

}  // namespace
}  // namespace facetag::testing
