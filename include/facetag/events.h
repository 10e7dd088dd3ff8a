// Recognition events ("attendance"): each face the recognition service named (or could not
// name) when it runs with --record-events: when, who (or nobody), how close, where the request
// came from (its source: a camera, a door) and which node answered. They live in the catalog
// (Catalog::RecordEvents and friends); this header holds their types and the parsing of what
// users type to ask for them. Events are personal data: see docs/EVENTS.md for retention and
// deletion.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "facetag/status.h"

namespace facetag {

struct RecognitionEvent {
  int64_t id = 0;           // given by the catalog, increasing: the pagination key
  int64_t at_ms = 0;        // when it was recognised: UTC, milliseconds since the Unix epoch
  int64_t person_id = 0;    // 0: nobody known
  std::string person_name;  // filled by queries (empty: unknown or unnamed)
  // To the named person's nearest face, or (unknown) to the nearest face of anyone who could
  // have been named; absent when there was nobody to compare with.
  std::optional<float> distance;
  std::string source;     // the request's source; empty: none given
  std::string served_by;  // the node that analysed the image (head, worker or server name)
};

inline constexpr int kDefaultEventPage = 100;
inline constexpr int kMaxEventPage = 1000;
inline constexpr int kMaxEventSummaryRows = 10000;

struct EventQuery {
  std::optional<int64_t> person;  // absent: everyone; 0: unknown faces only
  std::optional<std::string> source;
  std::optional<int64_t> since_ms;  // inclusive
  std::optional<int64_t> until_ms;  // exclusive
  int limit = kDefaultEventPage;    // 1..kMaxEventPage (summary: rows, 1..kMaxEventSummaryRows)
  int64_t cursor = 0;               // next_cursor of the previous page; 0: the first page
  bool oldest_first = false;        // default: newest first
};

struct EventPage {
  std::vector<RecognitionEvent> events;
  int64_t next_cursor = 0;  // 0: this was the last page
};

// One person's (or the unknown faces') events on one day.
struct EventDay {
  std::string day;        // YYYY-MM-DD in the asked-for UTC offset
  int64_t person_id = 0;  // 0: unknown faces
  std::string person_name;
  int64_t first_ms = 0, last_ms = 0;
  int64_t count = 0;
};

struct EventSummary {
  std::vector<EventDay> days;  // newest day first, then by person id (unknown first)
  bool truncated = false;      // more rows than the query's limit
};

// A time as users write it: epoch milliseconds (digits only), or ISO 8601 -
// "2026-12-06", "2026-12-06T08:30", "2026-12-06T08:30:15.250Z", "...+01:00" - where a time
// without an offset is UTC. InvalidArgument otherwise.
Result<int64_t> ParseEventTime(std::string_view text);
// "2026-12-06T08:30:15.250Z".
std::string FormatEventTime(int64_t at_ms);
// A day-boundary offset from UTC for summaries: "+01:00", "-0530", "Z", "" (UTC). Minutes.
Result<int> ParseUtcOffset(std::string_view text);
// A retention period: "90d", "12h", "2w", "30m" (minutes). Milliseconds; InvalidArgument for
// anything else, zero or over 100 years.
Result<int64_t> ParseRetention(std::string_view text);

// A source (query parameter `source` or header X-Facetag-Source): valid UTF-8, printable (no
// control characters), at most kMaxEventSourceChars characters. Empty is "no source".
inline constexpr size_t kMaxEventSourceChars = 64;
Status ValidateEventSource(std::string_view source);

}  // namespace facetag
