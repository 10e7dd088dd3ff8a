// Recognition events (issue 12) against a real server: recording off and on, the source from the
// query or the header, /recognize/batch recording every face, served_by in every answer, the
// events API's filters, pages and summary with its input checks, retention, deleting a person,
// and events still pending when the server stops.
#include <chrono>

#include "service/service_fixture.h"

namespace facetag::testing {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int64_t kDay = 86400000;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class Events : public ServiceFixture {
 protected:
  void SetUp() override {
    ServiceFixture::SetUp();
    options_.node_name = "node-a";
  }

  // A person named `name` with the face of `crop` (faces-bbt) registered.
  int64_t Register(const std::string& name, const std::string& crop) {
    auto created = PostJson("/api/v1/persons", {{"name", name}});
    EXPECT_EQ(created.status, 201) << created.body;
    const int64_t id = Json(created).value("id", int64_t{0});
    auto faces = PostImage("/api/v1/persons/" + std::to_string(id) + "/faces", ReadBytes(Bbt() / crop));
    EXPECT_EQ(faces.status, 201) << faces.body;
    return id;
  }

  HttpAnswer Recognize(const std::string& image, const std::string& query = "",
                       const std::map<std::string, std::string>& headers = {}) {
    const std::string type = image.ends_with(".jpg") ? "image/jpeg" : "image/png";
    return HttpFetch(port_, "POST", "/api/v1/recognize" + query, ReadBytes(Bbt() / image), type, headers);
  }

  // GET /api/v1/events`query` until it lists `n` events (they are stored every 200 ms).
  json WaitForEvents(size_t n, const std::string& query = "?limit=1000") {
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    json answer;
    do {
      auto got = Get("/api/v1/events" + query);
      EXPECT_EQ(got.status, 200) << got.body;
      answer = Json(got);
      if (answer["events"].size() >= n) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    } while (Clock::now() < deadline);
    EXPECT_EQ(answer["events"].size(), n) << answer.dump();
    return answer["events"];
  }

  // Events in the catalog file, read through the library (the server may be stopped).
  int64_t StoredEvents(const EventQuery& query = {}) {
    auto catalog = Catalog::Open(options_.db);
    EXPECT_TRUE(catalog.ok());
    auto n = (*catalog)->CountEvents(query);
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

  // The value of an unlabelled counter in /metrics (-1 when absent).
  double Metric(const std::string& name) {
    const std::string text = Get("/metrics").body;
    const size_t at = text.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stod(text.substr(at + name.size() + 2));
  }
  // Polls the counter for up to 10 s (the writer counts right after storing).
  bool WaitForMetric(const std::string& name, double value) {
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    double now = Metric(name);
    while (now != value && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      now = Metric(name);
    }
    EXPECT_EQ(now, value) << name;
    return now == value;
  }
};

TEST_F(Events, OffByDefaultButEveryAnswerNamesTheNode) {
  ASSERT_TRUE(Start().ok());
  Register("Leonard", "leonard/leonard1.png");
  auto answer = Recognize("leonard/leonard2.png", "?source=door");
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(Json(answer)["served_by"], "node-a");
  auto events = Get("/api/v1/events");
  ASSERT_EQ(events.status, 200) << events.body;
  EXPECT_TRUE(Json(events)["events"].empty());
  EXPECT_EQ(Json(events)["recording"], false);
  EXPECT_EQ(Metric("facetag_events_recorded_total"), -1) << "no event metrics when not recording";
  Stop();
  EXPECT_EQ(StoredEvents(), 0);
}

TEST_F(Events, EachFaceIsRecordedWithTheSourceFromTheQueryOrTheHeader) {
  options_.events.record = true;
  ASSERT_TRUE(Start().ok());
  const int64_t leonard = Register("Leonard", "leonard/leonard1.png");
  const int64_t before = NowMs();

  auto by_header = Recognize("leonard/leonard2.png", "", {{"X-Facetag-Source", "front door"}});
  ASSERT_EQ(by_header.status, 200) << by_header.body;
  const json face = Json(by_header)["faces"][0];
  ASSERT_EQ(face["person"]["id"], leonard) << by_header.body;
  EXPECT_EQ(Json(by_header)["served_by"], "node-a");
  // The query parameter wins over the header.
  auto by_query =
      Recognize("leonard/leonard3.png", "?source=Eingang%20S%C3%BCd", {{"X-Facetag-Source", "front door"}});
  ASSERT_EQ(by_query.status, 200) << by_query.body;
  // A group photo: nobody registered is in it, each face is an unknown with the nearest distance.
  auto group = Recognize("bbt1.jpg");
  ASSERT_EQ(group.status, 200) << group.body;
  const size_t group_faces = Json(group)["faces"].size();
  ASSERT_GE(group_faces, 1u);

  // Sources that are not short printable text are refused before anything is recognised.
  EXPECT_EQ(Recognize("leonard/leonard2.png", "?source=%1B%5B31m").status, 400);
  EXPECT_EQ(Recognize("leonard/leonard2.png", "", {{"X-Facetag-Source", std::string(65, 'x')}}).status, 400);

  const json events = WaitForEvents(2 + group_faces);
  const int64_t after = NowMs();
  // Newest first: the group photo's faces, then the query's, then the header's.
  const json& first = events[events.size() - 1];
  EXPECT_EQ(first["person"]["id"], leonard);
  EXPECT_EQ(first["person"]["name"], "Leonard");
  EXPECT_EQ(first["source"], "front door");
  EXPECT_EQ(first["served_by"], "node-a");
  EXPECT_NEAR(first["distance"].get<double>(), face["distance"].get<double>(), 1e-6);
  EXPECT_GE(first["at_ms"].get<int64_t>(), before);
  EXPECT_LE(first["at_ms"].get<int64_t>(), after);
  EXPECT_EQ(first["at"], FormatEventTime(first["at_ms"].get<int64_t>()));
  EXPECT_EQ(events[events.size() - 2]["source"], "Eingang S\u00fcd");
  for (size_t i = 0; i < group_faces; ++i) {
    EXPECT_TRUE(events[i]["person"].is_null()) << events[i].dump();
    EXPECT_EQ(events[i]["source"], "");
    EXPECT_GT(events[i]["distance"].get<double>(), 0.0) << "unknown faces keep the distance to the nearest";
  }
  EXPECT_TRUE(WaitForMetric("facetag_events_recorded_total", static_cast<double>(2 + group_faces)));
}

TEST_F(Events, BatchRecordsEveryFaceOfEveryImage) {
  options_.events.record = true;
  ASSERT_TRUE(Start().ok());
  Register("Leonard", "leonard/leonard1.png");
  const std::string body = Multipart({{"image", ReadBytes(Bbt() / "leonard/leonard2.png")},
                                      {"image", "not an image"},
                                      {"image", ReadBytes(Bbt() / "bbt2.jpg")}});
  auto answer = HttpFetch(port_, "POST", "/api/v1/recognize/batch?source=camera-2", body,
                          "multipart/form-data; boundary=facetagTestBoundary");
  ASSERT_EQ(answer.status, 200) << answer.body;
  const json results = Json(answer)["results"];
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(Json(answer)["served_by"], "node-a");
  size_t faces = 0;
  for (const json& r : results) {
    if (r.contains("error")) continue;
    EXPECT_EQ(r["served_by"], "node-a");
    faces += r["faces"].size();
  }
  EXPECT_TRUE(results[1].contains("error"));
  ASSERT_GE(faces, 2u);
  const json events = WaitForEvents(faces, "?source=camera-2&limit=1000");
  for (const json& e : events) EXPECT_EQ(e["source"], "camera-2");
}

TEST_F(Events, FiltersPagesAndSummaryWithCheckedInput) {
  // Events written through the library, as a server would have: 250 over three days.
  int64_t ada = 0, bob = 0;
  const int64_t day0 = NowMs() / kDay * kDay - 2 * kDay;
  {
    auto catalog = Catalog::Open(options_.db);
    ASSERT_TRUE(catalog.ok());
    ada = *(*catalog)->CreatePerson("Ada");
    bob = *(*catalog)->CreatePerson("Bob");
    std::vector<RecognitionEvent> events;
    for (int i = 0; i < 250; ++i) {
      RecognitionEvent e;
      e.at_ms = day0 + (i % 3) * kDay + 8 * 3600000 + i * 1000;
      e.person_id = i % 5 == 0 ? 0 : (i % 2 ? ada : bob);
      e.distance = 0.3f;
      e.source = i % 4 == 0 ? "garage" : "door";
      e.served_by = "node-a";
      events.push_back(e);
    }
    ASSERT_EQ(*(*catalog)->RecordEvents(events), 250);
  }
  ASSERT_TRUE(Start().ok());

  // Every event once, newest first, in pages of 100 with a cursor.
  std::vector<int64_t> ids;
  std::string cursor;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = Get("/api/v1/events?limit=100" + cursor);
    ASSERT_EQ(page.status, 200) << page.body;
    const json body = Json(page);  // kept alive: the loop walks into it
    for (const json& e : body["events"]) ids.push_back(e["id"]);
    if (body["next_cursor"].is_null()) break;
    cursor = "&cursor=" + std::to_string(body["next_cursor"].get<int64_t>());
  }
  ASSERT_EQ(ids.size(), 250u);
  for (size_t i = 1; i < ids.size(); ++i) ASSERT_GT(ids[i - 1], ids[i]);
  auto oldest = Json(Get("/api/v1/events?order=oldest&limit=1"));
  EXPECT_EQ(oldest["events"][0]["id"], ids.back());

  const auto count = [&](const std::string& query) {
    auto a = Get("/api/v1/events?limit=1000&" + query);
    EXPECT_EQ(a.status, 200) << query << ": " << a.body;
    return Json(a)["events"].size();
  };
  EXPECT_EQ(count("person=" + std::to_string(ada)), 100u);
  EXPECT_EQ(count("person=unknown"), 50u);
  EXPECT_EQ(count("source=garage"), 63u);
  EXPECT_EQ(count("source=garage&person=" + std::to_string(bob)), 50u);
  // A day by ISO 8601 dates and by epoch milliseconds: the same events.
  const std::string d1 = FormatEventTime(day0 + kDay).substr(0, 10),
                    d2 = FormatEventTime(day0 + 2 * kDay).substr(0, 10);
  EXPECT_EQ(count("since=" + d1 + "&until=" + d2), 83u);
  EXPECT_EQ(count("since=" + std::to_string(day0 + kDay) + "&until=" + std::to_string(day0 + 2 * kDay)), 83u);
  EXPECT_EQ(count("since=" + d1 + "T00:00:00%2B00:00&until=" + d2 + "T00:00:00Z"), 83u);

  auto summary = Get("/api/v1/events/summary");
  ASSERT_EQ(summary.status, 200) << summary.body;
  const json days = Json(summary)["days"];
  ASSERT_EQ(days.size(), 9u) << summary.body;  // 3 days x (unknown, Ada, Bob)
  EXPECT_EQ(days[0]["day"], d2);
  EXPECT_TRUE(days[0]["person"].is_null());
  int64_t total = 0;
  for (const json& d : days) {
    total += d["count"].get<int64_t>();
    EXPECT_LE(d["first_seen_ms"].get<int64_t>(), d["last_seen_ms"].get<int64_t>());
  }
  EXPECT_EQ(total, 250);
  auto ada_days = Json(Get("/api/v1/events/summary?tz=%2B01:00&person=" + std::to_string(ada)))["days"];
  ASSERT_EQ(ada_days.size(), 3u);
  EXPECT_EQ(ada_days[0]["person"]["name"], "Ada");

  // Bad values get a 400 that says which, never an empty answer.
  for (const char* bad :
       {"/api/v1/events?limit=0", "/api/v1/events?limit=1001", "/api/v1/events?limit=-1",
        "/api/v1/events?cursor=abc", "/api/v1/events?cursor=0", "/api/v1/events?since=yesterday",
        "/api/v1/events?until=2026-02-30", "/api/v1/events?since=2026-12-06T08:00:00+01:00",
        "/api/v1/events?person=-3", "/api/v1/events?person=Ada", "/api/v1/events?order=random",
        "/api/v1/events?source=%0A", "/api/v1/events/summary?tz=CET", "/api/v1/events/summary?cursor=5",
        "/api/v1/events/summary?limit=10001"}) {
    auto a = Get(bad);
    EXPECT_EQ(a.status, 400) << bad << ": " << a.body;
    EXPECT_EQ(Json(a)["error"]["code"], "bad_request") << bad;
  }
}

TEST_F(Events, RetentionDeletesOldEventsWithoutStoppingTheServer) {
  {
    auto catalog = Catalog::Open(options_.db);
    ASSERT_TRUE(catalog.ok());
    std::vector<RecognitionEvent> events;
    for (int i = 0; i < 2500; ++i) {  // more than one delete batch
      RecognitionEvent e;
      e.at_ms = NowMs() - 100 * kDay + i;
      e.source = "old";
      events.push_back(e);
    }
    for (int i = 0; i < 3; ++i) {
      RecognitionEvent e;
      e.at_ms = NowMs() - 10 * kDay + i;
      e.source = "recent";
      events.push_back(e);
    }
    ASSERT_EQ(*(*catalog)->RecordEvents(events), 2503);
  }
  options_.events.record = true;
  options_.events.retention_ms = 90 * kDay;
  ASSERT_TRUE(Start().ok());
  EXPECT_TRUE(WaitForMetric("facetag_events_expired_total", 2500));
  EXPECT_EQ(Get("/healthz").status, 200);
  const json left = WaitForEvents(3);
  for (const json& e : left) EXPECT_EQ(e["source"], "recent");
}

TEST_F(Events, DeletingAPersonDeletesTheirEvents) {
  options_.events.record = true;
  ASSERT_TRUE(Start().ok());
  const int64_t leonard = Register("Leonard", "leonard/leonard1.png");
  const int64_t howard = Register("Howard", "howard/howard1.png");
  ASSERT_EQ(Recognize("leonard/leonard2.png").status, 200);
  ASSERT_EQ(Recognize("howard/howard2.png").status, 200);
  WaitForEvents(2);
  ASSERT_EQ(HttpFetch(port_, "DELETE", "/api/v1/persons/" + std::to_string(leonard)).status, 204);
  EXPECT_TRUE(Json(Get("/api/v1/events?person=" + std::to_string(leonard)))["events"].empty());
  const json left = WaitForEvents(1);
  EXPECT_EQ(left[0]["person"]["id"], howard);
}

TEST_F(Events, PendingEventsAreStoredWhenTheServerStops) {
  options_.events.record = true;
  options_.events.flush_ms = 600000;  // nothing is stored on the timer: only the stop can store them
  ASSERT_TRUE(Start().ok());
  Register("Leonard", "leonard/leonard1.png");
  for (int i = 0; i < 5; ++i) ASSERT_EQ(Recognize("leonard/leonard2.png", "?source=door").status, 200);
  EXPECT_TRUE(Json(Get("/api/v1/events"))["events"].empty()) << "stored before the stop";
  Stop();
  EventQuery door;
  door.source = "door";
  EXPECT_EQ(StoredEvents(door), 5);
}

}  // namespace
}  // namespace facetag::testing
