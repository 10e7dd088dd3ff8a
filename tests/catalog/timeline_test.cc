// The timeline (GET /photos?sort=taken): photos by the date they were taken, newest first, EXIF
// date first and the file's mtime otherwise, paged by keyset without skipping or repeating, and a
// walk down one index however large the library is.
#include <sqlite3.h>

#include <chrono>

#include "catalog/catalog_fixture.h"

namespace facetag::testing {
namespace {

constexpr int64_t kSecond = 1000000000;

// 2021-01-01T00:00:00Z plus `days`, as an mtime in nanoseconds.
int64_t MtimeOnDay(int days) { return (1609459200 + int64_t{days} * 86400) * kSecond; }

class TimelineTest : public CatalogTest {
 protected:
  int64_t Add(const std::string& name, int64_t mtime_ns) {
    auto added = catalog().AddPhotoResult(MakePhoto("/p/" + name, name, mtime_ns), {});
    EXPECT_TRUE(added.ok());
    return added->photo_id;
  }
  std::vector<int64_t> Ids(const std::vector<TimelinePhoto>& page) {
    std::vector<int64_t> ids;
    for (const auto& p : page) ids.push_back(p.photo.id);
    return ids;
  }
};

TEST_F(TimelineTest, OrdersByExifDateElseFileDateNewestFirst) {
  const int64_t old_file = Add("old.jpg", MtimeOnDay(0));
  const int64_t new_file = Add("new.jpg", MtimeOnDay(30));
  const int64_t camera = Add("camera.jpg", MtimeOnDay(60));  // copied late, taken between the two
  PhotoExif exif;
  exif.taken = "2021-01-15T12:00:00";
  ASSERT_TRUE(catalog().SetPhotoExif(camera, catalog().GetPhoto(camera)->content_hash, exif).ok());

  auto page = catalog().Timeline(std::nullopt, TimelineDirection::kOlder, 10);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(Ids(*page), (std::vector<int64_t>{new_file, camera, old_file}));
  EXPECT_EQ((*page)[0].key.taken, "2021-01-31T00:00:00");
  EXPECT_FALSE((*page)[0].taken_from_exif);
  EXPECT_EQ((*page)[1].key.taken, "2021-01-15T12:00:00");
  EXPECT_TRUE((*page)[1].taken_from_exif);
  EXPECT_EQ(catalog().TimelineEntry(camera)->key.taken, "2021-01-15T12:00:00");
}

TEST_F(TimelineTest, EveryPhotoOnceAcrossPagesBothWaysAlsoWithEqualDates) {
  std::vector<int64_t> added;
  for (int i = 0; i < 25; ++i) {
    std::string name = "p";  // appended piece by piece: GCC 12 warns (-Wrestrict) on "p" + ...
    name += std::to_string(i);
    name += ".jpg";
    added.push_back(Add(name, MtimeOnDay(i / 3)));
  }
  std::vector<int64_t> walked;
  std::optional<TimelineKey> cursor;
  while (true) {
    auto page = catalog().Timeline(cursor, TimelineDirection::kOlder, 4);
    ASSERT_TRUE(page.ok());
    if (page->empty()) break;
    for (const auto& p : *page) walked.push_back(p.photo.id);
    cursor = page->back().key;
  }
  ASSERT_EQ(walked.size(), added.size());
  // Newest day first; within a day, the higher id first.
  EXPECT_EQ(walked.front(), added.back());
  EXPECT_EQ(walked.back(), added.front());
  // And back up from the oldest: the same photos in the opposite order.
  std::vector<int64_t> up;
  cursor = catalog().TimelineEntry(walked.back())->key;
  while (true) {
    auto page = catalog().Timeline(cursor, TimelineDirection::kNewer, 7);
    ASSERT_TRUE(page.ok());
    if (page->empty()) break;
    for (const auto& p : *page) up.push_back(p.photo.id);
    cursor = page->back().key;
  }
  std::vector<int64_t> expected(walked.rbegin() + 1, walked.rend());
  EXPECT_EQ(up, expected);
}

TEST_F(TimelineTest, FailedPhotosAreNotOnIt) {
  Add("ok.jpg", MtimeOnDay(1));
  PhotoInput broken = MakePhoto("/p/broken.jpg", "broken", MtimeOnDay(2));
  broken.status = PhotoStatus::kFailed;
  broken.error = "corrupt";
  ASSERT_TRUE(catalog().AddPhotoResult(broken, {}).ok());
  EXPECT_EQ(catalog().Timeline(std::nullopt, TimelineDirection::kOlder, 10)->size(), 1u);
}

// A changed file (new mtime) moves on the timeline; its EXIF date wins once read.
TEST_F(TimelineTest, FollowsTheFileAndItsExif) {
  const int64_t id = Add("a.jpg", MtimeOnDay(5));
  ASSERT_TRUE(catalog().RecordPath(id, "/p/a.jpg", {1, MtimeOnDay(9)}).ok());
  EXPECT_EQ(catalog().TimelineEntry(id)->key.taken, "2021-01-10T00:00:00");
  PhotoExif exif;
  exif.taken = "2019-07-04T08:30:00";
  ASSERT_TRUE(catalog().SetPhotoExif(id, catalog().GetPhoto(id)->content_hash, exif).ok());
  EXPECT_EQ(catalog().TimelineEntry(id)->key.taken, "2019-07-04T08:30:00");
  // EXIF of other content (read before the file changed) is not this photo's date.
  ASSERT_TRUE(catalog().SetPhotoExif(id, std::string(64, '0'), exif).ok());
  EXPECT_EQ(catalog().TimelineEntry(id)->key.taken, "2021-01-10T00:00:00");
  EXPECT_FALSE(catalog().TimelineEntry(id)->taken_from_exif);
}

// 100k photos: a page deep in the library costs what the first one does, because the query
// walks the (taken_key, id) index; the plan says so, and the time is measured.
TEST_F(TimelineTest, HundredThousandPhotosPageFastThroughTheIndex) {
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
    const char* fill = R"sql(
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
      INSERT INTO photos (content_hash, path, size, mtime_ns, width, height, status, indexed_at)
      SELECT printf('%064d', i), '/lib/' || i || '.jpg', 1, (1500000000 + i * 1000) * 1000000000, 640, 480, 'ok', 0
      FROM n;)sql";
    ASSERT_EQ(sqlite3_exec(db, fill, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_stmt* plan = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db,
                                 "EXPLAIN QUERY PLAN SELECT id FROM photos WHERE status != 'failed' AND "
                                 "(taken_key, id) < ('2020', 5) ORDER BY taken_key DESC, id DESC LIMIT 101",
                                 -1, &plan, nullptr),
              SQLITE_OK);
    std::string steps;
    while (sqlite3_step(plan) == SQLITE_ROW)
      steps += std::string(reinterpret_cast<const char*>(sqlite3_column_text(plan, 3))) + "\n";
    sqlite3_finalize(plan);
    sqlite3_close(db);
    EXPECT_NE(steps.find("photos_taken"), std::string::npos) << steps;
    EXPECT_EQ(steps.find("TEMP B-TREE"), std::string::npos) << steps;
  }
  auto middle = catalog().TimelineEntry(50000);
  ASSERT_TRUE(middle.ok());
  const auto t0 = std::chrono::steady_clock::now();
  auto first = catalog().Timeline(std::nullopt, TimelineDirection::kOlder, 101);
  auto deep = catalog().Timeline(middle->key, TimelineDirection::kOlder, 101);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(first.ok() && deep.ok());
  EXPECT_EQ(first->front().photo.id, 100000);
  EXPECT_EQ(deep->front().photo.id, 49999);
  RecordProperty("two_pages_ms", std::to_string(ms));
  std::printf("two timeline pages of 101 among 100000 photos: %.1f ms\n", ms);
  EXPECT_LT(ms, 250.0);
}

}  // namespace
}  // namespace facetag::testing
