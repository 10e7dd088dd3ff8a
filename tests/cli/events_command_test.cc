// `facetag events` as a user runs it, over events written through the library: the filters
// (person by name or id, unknown, source, time), CSV with awkward names and sources, JSON lines
// in the API's shape, --summary, --count, and clear errors for bad input.
#include <nlohmann/json.hpp>
#include <sstream>

#include "catalog/catalog_fixture.h"
#include "facetag/events.h"
#include "support/run_process.h"

namespace facetag::testing {
namespace {

constexpr int64_t kDec6 = 1796515200000;  // 2026-12-06T00:00:00Z
constexpr int64_t kHour = 3600000;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class EventsCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    auto catalog = Catalog::Open(db());
    ASSERT_TRUE(catalog.ok());
    ada_ = *(*catalog)->CreatePerson("Ada, \"the\" first");
    bob_ = *(*catalog)->CreatePerson("Bob");
    auto event = [](int64_t at, int64_t person, std::string source) {
      RecognitionEvent e;
      e.at_ms = at;
      e.person_id = person;
      e.distance = 0.25f;
      e.source = std::move(source);
      e.served_by = "head-1";
      return e;
    };
    ASSERT_EQ(
        *(*catalog)->RecordEvents(
            {event(kDec6 + 8 * kHour, ada_, "front door"), event(kDec6 + 9 * kHour, bob_, "=cmd|calc"),
             event(kDec6 + 17 * kHour, ada_, "front door"), event(kDec6 + 24 * kHour + 1, 0, "garage")}),
        4);
  }
  std::filesystem::path db() const { return dir_.path() / "c.db"; }
  ProcessResult Events(std::vector<std::string> args) const {
    std::vector<std::string> argv = {FACETAG_CLI_PATH, "events", "--db", db().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProcess(argv);
  }

  TempDir dir_;
  int64_t ada_ = 0, bob_ = 0;
};

TEST_F(EventsCommand, CsvQuotesNamesAndDefusesFormulas) {
  const ProcessResult r = Events({"--csv", "--oldest-first"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 5u) << r.out;
  EXPECT_EQ(lines[0], "id,at,at_ms,person_id,person_name,distance,source,served_by");
  EXPECT_EQ(lines[1], "1,2026-12-06T08:00:00.000Z,1796544000000," + std::to_string(ada_) +
                          ",\"Ada, \"\"the\"\" first\",0.2500,front door,head-1");
  EXPECT_EQ(lines[2], "2,2026-12-06T09:00:00.000Z,1796547600000," + std::to_string(bob_) +
                          ",Bob,0.2500,'=cmd|calc,head-1");
  EXPECT_EQ(lines[4], "4,2026-12-07T00:00:00.001Z,1796601600001,,,0.2500,garage,head-1");
}

TEST_F(EventsCommand, FiltersByPersonNameIdUnknownSourceAndTime) {
  EXPECT_EQ(Events({"--count"}).out, "4\n");
  EXPECT_EQ(Events({"--count", "--person", "Bob"}).out, "1\n");
  EXPECT_EQ(Events({"--count", "--person", std::to_string(ada_)}).out, "2\n");
  EXPECT_EQ(Events({"--count", "--person", "unknown"}).out, "1\n");
  EXPECT_EQ(Events({"--count", "--source", "front door"}).out, "2\n");
  EXPECT_EQ(Events({"--count", "--since", "2026-12-06T09:00:00Z", "--until", "2026-12-07"}).out, "2\n");
  EXPECT_EQ(Events({"--count", "--since", "2026-12-06T10:00:00+01:00"}).out, "3\n");
  // --limit pages through the library's pages: newest first, as many as asked.
  const ProcessResult two = Events({"--json", "--limit", "2"});
  ASSERT_EQ(two.exit_code, 0) << two.err;
  const auto lines = Lines(two.out);
  ASSERT_EQ(lines.size(), 2u);
  const auto newest = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(newest["id"], 4);
  EXPECT_TRUE(newest["person"].is_null());
  EXPECT_EQ(newest["at"], "2026-12-07T00:00:00.001Z");
  EXPECT_EQ(newest["served_by"], "head-1");
  EXPECT_EQ(nlohmann::json::parse(lines[1])["person"]["name"], "Ada, \"the\" first");
}

TEST_F(EventsCommand, SummaryPerDayAndPersonInAnOffset) {
  const ProcessResult r = Events({"--summary", "--csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  EXPECT_EQ(lines[0], "day,person_id,person_name,first_seen,last_seen,count");
  EXPECT_EQ(lines[1], "2026-12-07,,,2026-12-07T00:00:00.001Z,2026-12-07T00:00:00.001Z,1");
  EXPECT_EQ(lines[2], "2026-12-06," + std::to_string(ada_) +
                          ",\"Ada, \"\"the\"\" first\",2026-12-06T08:00:00.000Z,2026-12-06T17:00:00.000Z,2");
  // Five hours west, the unknown face at midnight UTC was still on the 6th.
  const ProcessResult west = Events({"--summary", "--json", "--tz", "-05:00"});
  ASSERT_EQ(west.exit_code, 0) << west.err;
  const auto days = Lines(west.out);
  ASSERT_EQ(days.size(), 3u) << west.out;
  for (const auto& line : days) EXPECT_EQ(nlohmann::json::parse(line)["day"], "2026-12-06") << line;
  const ProcessResult table = Events({"--summary"});
  ASSERT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("08:00:00  17:00:00  2"), std::string::npos) << table.out;
}

TEST_F(EventsCommand, BadInputIsAUsageErrorThatSaysWhy) {
  const ProcessResult since = Events({"--since", "last tuesday"});
  EXPECT_EQ(since.exit_code, 2);
  EXPECT_NE(since.err.find("--since: not a time"), std::string::npos) << since.err;
  EXPECT_EQ(Events({"--summary", "--tz", "CET"}).exit_code, 2);
  EXPECT_EQ(Events({"--source", "a\nb"}).exit_code, 2);
  EXPECT_EQ(Events({"--csv", "--json"}).exit_code, 2);
  const ProcessResult nobody = Events({"--person", "Carol"});
  EXPECT_EQ(nobody.exit_code, 1);
  EXPECT_NE(nobody.err.find("nobody is named"), std::string::npos) << nobody.err;
  const ProcessResult missing =
      RunProcess({FACETAG_CLI_PATH, "events", "--db", (dir_.path() / "absent.db").string()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "absent.db"));
}

}  // namespace
}  // namespace facetag::testing
