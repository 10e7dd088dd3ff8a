// facetag events: the recognition events a server recorded (--record-events), filtered like
// GET /api/v1/events, as a table, CSV or JSON lines; --summary per day and person; --count.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "catalog_flags.h"
#include "commands.h"
#include "facetag/events.h"
#include "facetag/text.h"

namespace facetag::cli {
namespace {

// RFC 4180 field. A text starting with = + - @ is prefixed with ' so that a spreadsheet shows
// it instead of running it as a formula (a source is whatever a client sent).
std::string CsvText(const std::string& text) {
  std::string v = ToValidUtf8(text);
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) v = "'" + v;
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string Distance(const std::optional<float>& d) {
  if (!d) return "";
  char text[32];
  std::snprintf(text, sizeof(text), "%.4f", static_cast<double>(*d));
  return text;
}

std::string Who(int64_t person_id, const std::string& name) {
  if (person_id == 0) return "unknown";
  return name.empty() ? "person " + std::to_string(person_id) : TerminalSafe(name);
}

void PrintJsonLine(const nlohmann::json& j) {
  std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

struct Args {
  CatalogFlags catalog;
  std::string person, source, since, until, tz;
  int64_t limit = kDefaultEventPage;
  bool oldest_first = false, csv = false, json = false, summary = false, count = false;
};

Result<EventQuery> QueryOf(Catalog& catalog, const Args& args) {
  EventQuery q;
  if (!args.person.empty()) {
    if (args.person == "unknown") {
      q.person = 0;
    } else {
      auto person = ResolvePerson(catalog, args.person);
      FACETAG_RETURN_IF_ERROR(person.status());
      q.person = person->id;
    }
  }
  if (!args.source.empty()) {
    FACETAG_RETURN_IF_ERROR(ValidateEventSource(args.source));
    q.source = args.source;
  }
  if (!args.since.empty()) {
    auto t = ParseEventTime(args.since);
    if (!t.ok()) return InvalidArgument("--since: " + t.status().message());
    q.since_ms = *t;
  }
  if (!args.until.empty()) {
    auto t = ParseEventTime(args.until);
    if (!t.ok()) return InvalidArgument("--until: " + t.status().message());
    q.until_ms = *t;
  }
  q.oldest_first = args.oldest_first;
  return q;
}

int PrintSummary(Catalog& catalog, EventQuery q, const Args& args) {
  auto offset = ParseUtcOffset(args.tz);
  if (!offset.ok()) return ReportError(InvalidArgument("--tz: " + offset.status().message()));
  q.limit = args.limit == 0 ? kMaxEventSummaryRows
                            : static_cast<int>(std::min<int64_t>(args.limit, kMaxEventSummaryRows));
  auto summary = catalog.SummarizeEvents(q, *offset);
  if (!summary.ok()) return ReportError(summary.status());
  if (args.csv) std::printf("day,person_id,person_name,first_seen,last_seen,count\n");
  if (!args.csv && !args.json)
    std::printf("%-10s  %-24s  %-8s  %-8s  %s\n", "day", "person", "first", "last", "count");
  // The table shows the times of day at the asked-for offset, as its days are; CSV and JSON
  // carry UTC times, which need no offset to be read right.
  const int64_t shift_ms = int64_t{*offset} * 60000;
  for (const EventDay& d : summary->days) {
    if (args.json) {
      PrintJsonLine(EventDayToJson(d));
    } else if (args.csv) {
      std::printf("%s,%s,%s,%s,%s,%lld\n", d.day.c_str(),
                  d.person_id ? std::to_string(d.person_id).c_str() : "", CsvText(d.person_name).c_str(),
                  FormatEventTime(d.first_ms).c_str(), FormatEventTime(d.last_ms).c_str(),
                  static_cast<long long>(d.count));
    } else {
      std::printf("%s  %-24s  %s  %s  %lld\n", d.day.c_str(), Who(d.person_id, d.person_name).c_str(),
                  FormatEventTime(d.first_ms + shift_ms).substr(11, 8).c_str(),
                  FormatEventTime(d.last_ms + shift_ms).substr(11, 8).c_str(),
                  static_cast<long long>(d.count));
    }
  }
  if (summary->truncated)
    std::fprintf(stderr, "facetag: more than %d rows; narrow the time range or raise --limit\n", q.limit);
  return kExitOk;
}

int PrintEvents(Catalog& catalog, EventQuery q, const Args& args) {
  if (args.csv) std::printf("id,at,at_ms,person_id,person_name,distance,source,served_by\n");
  if (!args.csv && !args.json)
    std::printf("%-24s  %-24s  %-8s  %-16s  %s\n", "time (UTC)", "person", "distance", "source", "served by");
  // Pages of the library's size until the asked-for number (0: all) is printed.
  int64_t left = args.limit == 0 ? INT64_MAX : args.limit;
  while (left > 0) {
    q.limit = static_cast<int>(std::min<int64_t>(left, kMaxEventPage));
    auto page = catalog.ListEvents(q);
    if (!page.ok()) return ReportError(page.status());
    for (const RecognitionEvent& e : page->events) {
      if (args.json) {
        PrintJsonLine(EventToJson(e));
      } else if (args.csv) {
        std::printf("%lld,%s,%lld,%s,%s,%s,%s,%s\n", static_cast<long long>(e.id),
                    FormatEventTime(e.at_ms).c_str(), static_cast<long long>(e.at_ms),
                    e.person_id ? std::to_string(e.person_id).c_str() : "", CsvText(e.person_name).c_str(),
                    Distance(e.distance).c_str(), CsvText(e.source).c_str(), CsvText(e.served_by).c_str());
      } else {
        std::printf("%-24s  %-24s  %-8s  %-16s  %s\n", FormatEventTime(e.at_ms).c_str(),
                    Who(e.person_id, e.person_name).c_str(), Distance(e.distance).c_str(),
                    TerminalSafe(e.source.empty() ? "-" : e.source).c_str(),
                    TerminalSafe(e.served_by).c_str());
      }
    }
    left -= static_cast<int64_t>(page->events.size());
    if (page->next_cursor == 0) break;
    q.cursor = page->next_cursor;
  }
  return kExitOk;
}

}  // namespace

Command AddEventsCommand(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("events", "Recognition events recorded by `serve --record-events` (newest first)");
  auto args = std::make_shared<Args>();
  cmd->add_option("--person", args->person,
                  "Person id or name, or \"unknown\" for faces nobody was named for");
  cmd->add_option("--source", args->source, "Only events of this source (a camera, a door)");
  cmd->add_option("--since", args->since,
                  "From this time on: ISO 8601 (UTC unless an offset is given) or epoch ms");
  cmd->add_option("--until", args->until, "Before this time");
  cmd->add_option("--limit", args->limit, "Events (or --summary rows) at most; 0: all")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_flag("--oldest-first", args->oldest_first, "Oldest first instead of newest first");
  auto* csv = cmd->add_flag("--csv", args->csv, "CSV with a header line");
  auto* json = cmd->add_flag("--json", args->json, "One JSON object per line (as GET /api/v1/events)");
  csv->excludes(json);
  auto* summary = cmd->add_flag("--summary", args->summary, "Per day and person: first and last seen, count");
  cmd->add_option("--tz", args->tz, "With --summary: days start at this UTC offset (+01:00, -05:30)")
      ->needs(summary);
  cmd->add_flag("--count", args->count, "Only print how many events match")
      ->excludes(summary)
      ->excludes(csv)
      ->excludes(json);
  args->catalog.Register(*cmd);
  return {cmd, [args] {
            auto catalog = args->catalog.OpenForReading();
            if (!catalog.ok()) return ReportError(catalog.status());
            auto query = QueryOf(**catalog, *args);
            if (!query.ok()) return ReportError(query.status());
            if (args->count) {
              auto n = (*catalog)->CountEvents(*query);
              if (!n.ok()) return ReportError(n.status());
              std::printf("%lld\n", static_cast<long long>(*n));
              return kExitOk;
            }
            if (args->summary) return PrintSummary(**catalog, *query, *args);
            return PrintEvents(**catalog, *query, *args);
          }};
}

}  // namespace facetag::cli
