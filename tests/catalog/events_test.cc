// Recognition events in the catalog: pages by id, filters, the per-day summary, retention in
// small deletes, and what deleting or merging persons does to their events; and the parsing of
// what users type to ask for them (times, offsets, retention periods, sources).
#include "facetag/events.h"

#include "catalog/catalog_fixture.h"

namespace facetag::testing {
namespace {

constexpr int64_t kDay = 86400000;
// 2026-12-06T00:00:00Z
constexpr int64_t kDec6 = 1796515200000;

RecognitionEvent Event(int64_t at_ms, int64_t person, const std::string& source, float distance = 0.4f) {
  RecognitionEvent e;
  e.at_ms = at_ms;
  e.person_id = person;
  e.distance = distance;
  e.source = source;
  e.served_by = "node-a";
  return e;
}

class EventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = Catalog::Open(dir_.path() / "c.db");
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    catalog_ = std::move(*c);
    auto ada = catalog_->CreatePerson("Ada");
    auto bob = catalog_->CreatePerson("Bob");
    ASSERT_TRUE(ada.ok() && bob.ok());
    ada_ = *ada;
    bob_ = *bob;
  }
  std::vector<int64_t> Ids(const EventQuery& q) {
    auto page = catalog_->ListEvents(q);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<int64_t> ids;
    if (page.ok()) {
      for (const auto& e : page->events) ids.push_back(e.id);
    }
    return ids;
  }
  int64_t Count(const EventQuery& q = {}) {
    auto n = catalog_->CountEvents(q);
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

  TempDir dir_;
  std::unique_ptr<Catalog> catalog_;
  int64_t ada_ = 0, bob_ = 0;
};

TEST_F(EventsTest, PagesAreKeyedByIdNewestFirstOrOldestFirst) {
  std::vector<RecognitionEvent> events;
  for (int i = 0; i < 25; ++i) events.push_back(Event(kDec6 + i * 1000, i % 2 ? ada_ : 0, "door"));
  auto stored = catalog_->RecordEvents(events);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(*stored, 25);

  EventQuery q;
  q.limit = 10;
  std::vector<int64_t> seen;
  int pages = 0;
  while (true) {
    auto page = catalog_->ListEvents(q);
    ASSERT_TRUE(page.ok());
    ++pages;
    for (const auto& e : page->events) seen.push_back(e.id);
    if (page->next_cursor == 0) break;
    EXPECT_EQ(page->next_cursor, page->events.back().id);
    q.cursor = page->next_cursor;
  }
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(seen.size(), 25u);
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_GT(seen[i - 1], seen[i]) << "newest first, no repeats";

  EventQuery oldest;
  oldest.oldest_first = true;
  oldest.limit = 20;
  auto first = catalog_->ListEvents(oldest);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->events.front().id, seen.back());
  oldest.cursor = first->next_cursor;
  EXPECT_EQ(Ids(oldest).size(), 5u);

  // A page of exactly the rest has no next cursor.
  EventQuery all;
  all.limit = 25;
  auto whole = catalog_->ListEvents(all);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->next_cursor, 0);
  // Names come with the events; unknown faces have none.
  EXPECT_EQ(whole->events.front().person_id, 0);
  EXPECT_EQ(whole->events[1].person_name, "Ada");
  EXPECT_EQ(whole->events[1].served_by, "node-a");
  ASSERT_TRUE(whole->events[1].distance.has_value());
  EXPECT_NEAR(*whole->events[1].distance, 0.4f, 1e-6);

  EventQuery bad;
  bad.limit = 0;
  EXPECT_EQ(catalog_->ListEvents(bad).status().code(), ErrorCode::kInvalidArgument);
  bad.limit = kMaxEventPage + 1;
  EXPECT_EQ(catalog_->ListEvents(bad).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(EventsTest, FiltersByPersonUnknownSourceAndTime) {
  RecognitionEvent no_distance = Event(kDec6 + 5, 0, "door");
  no_distance.distance.reset();
  ASSERT_TRUE(catalog_
                  ->RecordEvents({Event(kDec6, ada_, "door"), Event(kDec6 + 1000, bob_, "door"),
                                  Event(kDec6 + 2000, ada_, "garage"), Event(kDec6 + 3000, 0, "garage"),
                                  Event(kDec6 + kDay, ada_, ""), no_distance})
                  .ok());
  EventQuery q;
  q.person = ada_;
  EXPECT_EQ(Count(q), 3);
  q.source = "door";
  EXPECT_EQ(Count(q), 1);
  EventQuery unknown;
  unknown.person = 0;
  EXPECT_EQ(Count(unknown), 2);
  EventQuery garage;
  garage.source = "garage";
  EXPECT_EQ(Count(garage), 2);
  EventQuery none;
  none.source = "";
  EXPECT_EQ(Count(none), 1) << "an empty source filter finds the events that came without one";
  EventQuery window;
  window.since_ms = kDec6 + 1000;  // inclusive
  window.until_ms = kDec6 + 3000;  // exclusive
  EXPECT_EQ(Count(window), 2);
  window.until_ms.reset();
  EXPECT_EQ(Count(window), 4);
  auto page = catalog_->ListEvents(unknown);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->events.size(), 2u);
  EXPECT_FALSE(page->events.front().distance.has_value()) << "no face to compare with: no distance";
}

TEST_F(EventsTest, SummaryGivesFirstAndLastSeenPerDayAndPerson) {
  ASSERT_TRUE(catalog_
                  ->RecordEvents({Event(kDec6 + 8 * 3600000, ada_, "door"),   // 08:00
                                  Event(kDec6 + 17 * 3600000, ada_, "door"),  // 17:00
                                  Event(kDec6 + 12 * 3600000, ada_, "door"),  // 12:00
                                  Event(kDec6 + 9 * 3600000, bob_, "door"),   // 09:00
                                  Event(kDec6 + 23 * 3600000, ada_, "door"),  // 23:00: Dec 7 at +01:00
                                  Event(kDec6 + kDay + 3600000, 0, "door")})  // Dec 7, 01:00
                  .ok());
  auto summary = catalog_->SummarizeEvents(EventQuery{});
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  ASSERT_EQ(summary->days.size(), 3u);
  EXPECT_FALSE(summary->truncated);
  // Newest day first; within a day, unknown faces first, then by person id.
  EXPECT_EQ(summary->days[0].day, "2026-12-07");
  EXPECT_EQ(summary->days[0].person_id, 0);
  EXPECT_EQ(summary->days[1].day, "2026-12-06");
  EXPECT_EQ(summary->days[1].person_id, ada_);
  EXPECT_EQ(summary->days[1].person_name, "Ada");
  EXPECT_EQ(summary->days[1].first_ms, kDec6 + 8 * 3600000);
  EXPECT_EQ(summary->days[1].last_ms, kDec6 + 23 * 3600000);
  EXPECT_EQ(summary->days[1].count, 4);
  EXPECT_EQ(summary->days[2].person_id, bob_);
  EXPECT_EQ(summary->days[2].count, 1);

  // Days in UTC+01:00: Ada's 23:00 UTC is the next morning there.
  auto local = catalog_->SummarizeEvents(EventQuery{}, 60);
  ASSERT_TRUE(local.ok());
  ASSERT_EQ(local->days.size(), 4u);
  EXPECT_EQ(local->days[0].day, "2026-12-07");
  EXPECT_EQ(local->days[1].day, "2026-12-07");
  EXPECT_EQ(local->days[1].person_id, ada_);
  EXPECT_EQ(local->days[1].count, 1);
  EXPECT_EQ(local->days[2].day, "2026-12-06");
  EXPECT_EQ(local->days[2].count, 3);

  EventQuery small;
  small.limit = 2;
  auto cut = catalog_->SummarizeEvents(small);
  ASSERT_TRUE(cut.ok());
  EXPECT_EQ(cut->days.size(), 2u);
  EXPECT_TRUE(cut->truncated);
}

TEST_F(EventsTest, DeletingAPersonDeletesTheirEventsAndLateOnesAreDropped) {
  ASSERT_TRUE(catalog_
                  ->RecordEvents({Event(kDec6, ada_, "door"), Event(kDec6 + 1, bob_, "door"),
                                  Event(kDec6 + 2, 0, "door")})
                  .ok());
  ASSERT_TRUE(catalog_->DeletePerson(ada_).ok());
  EventQuery q;
  q.person = ada_;
  EXPECT_EQ(Count(q), 0);
  EXPECT_EQ(Count(), 2);
  // An event recognised before the deletion but stored after it is not kept either.
  auto late = catalog_->RecordEvents({Event(kDec6 + 3, ada_, "door"), Event(kDec6 + 4, bob_, "door")});
  ASSERT_TRUE(late.ok()) << late.status().ToString();
  EXPECT_EQ(*late, 1);
  EXPECT_EQ(Count(q), 0);
  EXPECT_EQ(Count(), 3);
}

TEST_F(EventsTest, MergingMovesTheEventsToTheMergedPerson) {
  ASSERT_TRUE(catalog_->RecordEvents({Event(kDec6, ada_, "door"), Event(kDec6 + 1, bob_, "door")}).ok());
  ASSERT_TRUE(catalog_->MergePersons({ada_, bob_}).ok());
  EventQuery q;
  q.person = ada_;
  EXPECT_EQ(Count(q), 2);
  EXPECT_EQ(Count(), 2);
}

TEST_F(EventsTest, RetentionDeletesOldEventsInSmallBatches) {
  std::vector<RecognitionEvent> events;
  for (int i = 0; i < 25; ++i) events.push_back(Event(kDec6 - 100 * kDay + i, ada_, "door"));
  for (int i = 0; i < 5; ++i) events.push_back(Event(kDec6 + i, ada_, "door"));
  ASSERT_TRUE(catalog_->RecordEvents(events).ok());
  int batches = 0;
  int64_t deleted = 0;
  while (true) {
    auto n = catalog_->DeleteEventsBefore(kDec6 - 90 * kDay, 10);
    ASSERT_TRUE(n.ok());
    EXPECT_LE(*n, 10);
    deleted += *n;
    ++batches;
    if (*n < 10) break;
  }
  EXPECT_EQ(deleted, 25);
  EXPECT_EQ(batches, 3);
  EXPECT_EQ(Count(), 5);
}

TEST_F(EventsTest, TimesOutsideTheCalendarAreRefused) {
  EXPECT_EQ(catalog_->RecordEvents({Event(-1, ada_, "door")}).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(catalog_->RecordEvents({Event(253402300800000, ada_, "door")}).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(Count(), 0) << "nothing of a refused batch is stored";
  ASSERT_TRUE(catalog_->RecordEvents({Event(253402300799999, ada_, "door")}).ok());
  auto summary = catalog_->SummarizeEvents({}, -14 * 60);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->days.at(0).day, "9999-12-31");
}

TEST_F(EventsTest, EventsSurviveReopening) {
  ASSERT_TRUE(catalog_->RecordEvents({Event(kDec6, ada_, "door")}).ok());
  catalog_.reset();
  auto again = Catalog::Open(dir_.path() / "c.db");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*(*again)->CountEvents({}), 1);
}

TEST(EventInput, TimesInIso8601OrEpochMilliseconds) {
  EXPECT_EQ(*ParseEventTime("1796515200000"), kDec6);
  EXPECT_EQ(*ParseEventTime("2026-12-06"), kDec6);
  EXPECT_EQ(*ParseEventTime("2026-12-06T08:30"), kDec6 + 8 * 3600000 + 30 * 60000);
  EXPECT_EQ(*ParseEventTime("2026-12-06T08:30:15Z"), kDec6 + (8 * 3600 + 30 * 60 + 15) * 1000);
  EXPECT_EQ(*ParseEventTime("2026-12-06T08:30:15.25Z"), kDec6 + (8 * 3600 + 30 * 60 + 15) * 1000 + 250);
  EXPECT_EQ(*ParseEventTime("2026-12-06 08:30:15.123456Z"), kDec6 + (8 * 3600 + 30 * 60 + 15) * 1000 + 123);
  EXPECT_EQ(*ParseEventTime("2026-12-06T09:30:00+01:00"), kDec6 + (8 * 3600 + 30 * 60) * 1000);
  EXPECT_EQ(*ParseEventTime("2026-12-06T03:00:00-0530"), kDec6 + (8 * 3600 + 30 * 60) * 1000);
  EXPECT_EQ(*ParseEventTime("2024-02-29"), 1709164800000);
  for (const char* bad :
       {"", "yesterday", "2026-13-01", "2026-02-30", "2025-02-29", "2026-12-06T24:00", "2026-12-06T08:60",
        "2026-12-06T08:30:15.", "2026-12-06T08:30+25:00", "2026-12-6", "1969-12-31", "-5", "12e3",
        "2026-12-06T08:30:15Zjunk", "9999999999999999", "2026-12-06T08:30:00 01:00"}) {
    auto t = ParseEventTime(bad);
    EXPECT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.status().code(), ErrorCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(FormatEventTime(kDec6 + (8 * 3600 + 30 * 60 + 15) * 1000 + 7), "2026-12-06T08:30:15.007Z");
  EXPECT_EQ(FormatEventTime(0), "1970-01-01T00:00:00.000Z");
  for (int64_t t : {int64_t{0}, kDec6, kDec6 + 123456789, int64_t{951782400000}})
    EXPECT_EQ(*ParseEventTime(FormatEventTime(t)), t);
}

TEST(EventInput, OffsetsRetentionPeriodsAndSources) {
  EXPECT_EQ(*ParseUtcOffset(""), 0);
  EXPECT_EQ(*ParseUtcOffset("Z"), 0);
  EXPECT_EQ(*ParseUtcOffset("+01:00"), 60);
  EXPECT_EQ(*ParseUtcOffset("-0530"), -330);
  EXPECT_EQ(*ParseUtcOffset("+14"), 14 * 60);
  for (const char* bad : {"1", "+1", "+15:00", "+01:60", "CET", " 01:00", "+01:", "+01:0", "+0100x"})
    EXPECT_FALSE(ParseUtcOffset(bad).ok()) << bad;

  EXPECT_EQ(*ParseRetention("90d"), 90 * kDay);
  EXPECT_EQ(*ParseRetention("12h"), 12 * 3600000);
  EXPECT_EQ(*ParseRetention("2w"), 14 * kDay);
  EXPECT_EQ(*ParseRetention("30m"), 30 * 60000);
  for (const char* bad : {"", "d", "0d", "90", "90 d", "-1d", "1.5d", "90D", "40000d", "99999999999d"})
    EXPECT_FALSE(ParseRetention(bad).ok()) << bad;

  EXPECT_TRUE(ValidateEventSource("").ok());
  EXPECT_TRUE(ValidateEventSource("front door").ok());
  EXPECT_TRUE(ValidateEventSource("Eingang Süd").ok());
  EXPECT_TRUE(ValidateEventSource(std::string(64, 'x')).ok());
  EXPECT_FALSE(ValidateEventSource(std::string(65, 'x')).ok());
  EXPECT_FALSE(ValidateEventSource("door\n").ok());
  EXPECT_FALSE(ValidateEventSource("\x1b[31mred").ok());
  EXPECT_FALSE(ValidateEventSource("\xC2\x85").ok()) << "C1 control";
  EXPECT_FALSE(ValidateEventSource("\xff\xfe").ok()) << "not UTF-8";
}

}  // namespace
}  // namespace facetag::testing
