// deploy/prometheus.yml and deploy/grafana/facetag-dashboard.json against the real thing: Debian's
// `prometheus` scrapes a `facetag serve` and a `facetag head` (both child processes on loopback
// ports of their own choosing) with the shipped configuration, only the targets and the scrape
// intervals changed; the test then asks Prometheus's HTTP API that both targets are up, that the
// request and model metrics arrived, and that every metric the dashboard queries exists and every
// dashboard query parses.
#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "catalog/catalog_fixture.h"
#include "cli/child_process.h"
#include "service/http_client.h"
#include "support/run_process.h"
#include "support/test_env.h"

namespace facetag::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// How long Prometheus gets to scrape both targets once: generous for a loaded 2-core CI machine
// (with a 1 s interval it takes 1-2 s when idle).
constexpr auto kScrapeWait = std::chrono::seconds(30);

std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// `name` in a folder of $PATH, or empty.
std::filesystem::path FindProgram(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const auto candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

// Replaces the single occurrence of `from` in `text`; false when it occurs zero or several times
// (the shipped file changed shape and the test must be told how to point it at its targets).
bool ReplaceOnce(std::string& text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  if (at == std::string::npos || text.find(from, at + 1) != std::string::npos) return false;
  text.replace(at, from.size(), to);
  return true;
}

std::string UrlEncode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// Every string anywhere in the dashboard (queries live in "expr", template variables in "query").
void CollectStrings(const json& j, std::vector<std::string>& out) {
  if (j.is_string()) out.push_back(j.get<std::string>());
  if (j.is_structured())
    for (const auto& child : j) CollectStrings(child, out);
}

class Service : public ::testing::Test {
 protected:
  void TearDown() override {
    // The head is asked to stop, so that it stops and reaps its nats-server; the others (and the
    // head if it hangs) are SIGKILLed when their ChildProcess goes.
    if (head_) {
      head_->Kill(SIGTERM);
      const auto deadline = Clock::now() + std::chrono::seconds(10);
      while (head_->Running() && Clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!HasFailure()) return;
    for (const char* name : {"serve", "head", "prometheus"}) {
      std::string text = ReadAll(Log(name));
      if (text.empty()) continue;
      if (text.size() > 4000) text = "..." + text.substr(text.size() - 4000);
      std::printf("---- %s.log\n%s\n", name, text.c_str());
    }
  }

  std::filesystem::path Log(const std::string& name) const { return dir_.path() / (name + ".log"); }

  // A child started through StartLogged that dies with this test process even when it is killed
  // (a CTest timeout), so that no server outlives a run.
  std::unique_ptr<ChildProcess> Start(const std::vector<std::string>& argv, const std::string& name) {
    static const bool have_setpriv = !FindProgram("setpriv").empty();
    return StartLogged(argv, Log(name), have_setpriv ? "exec setpriv --pdeathsig KILL" : "exec");
  }

  // The port a child says in its log that it listens on (`pattern`'s first group); 0 when it
  // exits or stays silent.
  uint16_t WaitForPort(ChildProcess& child, const std::string& name, const std::regex& pattern) {
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    while (Clock::now() < deadline) {
      std::smatch m;
      const std::string log = ReadAll(Log(name));
      if (std::regex_search(log, m, pattern)) return static_cast<uint16_t>(std::stoi(m[1].str()));
      if (!child.Running()) return 0;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return 0;
  }
  uint16_t WaitForFacetag(ChildProcess& child, const std::string& name) {
    static const std::regex serving(R"(facetag: serving on 127\.0\.0\.1:(\d+))");
    return WaitForPort(child, name, serving);
  }

  // GET /api/v1/query on Prometheus: the "data" member, or null on any error.
  json Query(const std::string& promql) {
    const auto answer = HttpFetch(prometheus_port_, "GET", "/api/v1/query?query=" + UrlEncode(promql));
    last_answer_ = answer.body;
    const json j = json::parse(answer.body, nullptr, false);
    if (answer.status != 200 || !j.is_object() || j.value("status", "") != "success") return nullptr;
    return j["data"];
  }
  // The number of series `promql` selects.
  size_t CountSeries(const std::string& promql) {
    const json data = Query(promql);
    return data.is_object() && data["result"].is_array() ? data["result"].size() : 0;
  }

  TempDir dir_;  // declared first, so removed after the children are killed and reaped
  std::unique_ptr<ChildProcess> serve_, head_, prometheus_;
  uint16_t prometheus_port_ = 0;
  std::string last_answer_;
};

TEST_F(Service, PrometheusScrape) {
  const auto prometheus = FindProgram("prometheus");
  ASSERT_FALSE(prometheus.empty())
      << "Debian's prometheus is not installed (not on PATH): run scripts/setup.sh --tests";
  ModelDirOrFail();
  ASSERT_FALSE(dir_.path().empty());

  // The two kinds of target the deploy files are for: a server, and a head (with its own
  // nats-server; the cluster gauges exist only there). One engine each: quick to start.
  serve_ = Start({FACETAG_CLI_PATH, "serve", "--db", (dir_.path() / "serve.db").string(), "--listen",
                  "127.0.0.1:0", "--workers", "1"},
                 "serve");
  // The nats-server needs a port chosen beforehand, which a parallel test may take first: a
  // head that exits is started again on another.
  uint16_t head_port = 0;
  for (int attempt = 0; attempt < 3 && head_port == 0; ++attempt) {
    head_ = Start({FACETAG_CLI_PATH, "head", "--db", (dir_.path() / "head.db").string(), "--listen",
                   "127.0.0.1:0", "--workers", "1", "--detector", "tiny", "--nats-port",
                   std::to_string(FreePort()), "--token", "prometheus-test-" + std::to_string(::getpid())},
                  "head");
    head_port = WaitForFacetag(*head_, "head");
  }
  const uint16_t serve_port = WaitForFacetag(*serve_, "serve");
  ASSERT_NE(serve_port, 0) << "facetag serve did not start";
  ASSERT_NE(head_port, 0) << "facetag head did not start";

  // Real traffic, so that the request, engine and model metrics have samples.
  ASSERT_EQ(HttpFetch(serve_port, "GET", "/healthz").status, 200);
  ASSERT_EQ(HttpFetch(head_port, "GET", "/healthz").status, 200);
  const auto crop = ReadAll(BbtDir() / "amy" / "amy1.png");
  ASSERT_FALSE(crop.empty()) << "faces-bbt missing in " << BbtDir();
  const auto recognized = HttpFetch(serve_port, "POST", "/api/v1/recognize", crop, "image/png");
  ASSERT_EQ(recognized.status, 200) << recognized.body;
  const json faces = json::parse(recognized.body, nullptr, false);
  ASSERT_TRUE(faces.is_object() && !faces["faces"].empty()) << recognized.body;

  // deploy/prometheus.yml as shipped, pointed at the two targets, scraping every second.
  std::string config = ReadAll(SourceDir() / "deploy" / "prometheus.yml");
  const std::string targets = R"(targets: ["127.0.0.1:)" + std::to_string(serve_port) + R"(", "127.0.0.1:)" +
                              std::to_string(head_port) + "\"]";
  ASSERT_TRUE(ReplaceOnce(config, R"(targets: ["127.0.0.1:8080"])", targets))
      << "deploy/prometheus.yml no longer has exactly one targets: [\"127.0.0.1:8080\"]: update this test";
  ASSERT_TRUE(ReplaceOnce(config, "scrape_interval: 15s", "scrape_interval: 1s") &&
              ReplaceOnce(config, "scrape_interval: 5s", "scrape_interval: 1s"))
      << "deploy/prometheus.yml no longer has one global 15s and one job 5s scrape_interval: update this "
         "test";
  const auto config_file = dir_.path() / "prometheus.yml";
  std::ofstream(config_file) << config;
  if (const auto promtool = FindProgram("promtool"); !promtool.empty()) {
    const auto checked = RunProcess({promtool.string(), "check", "config", config_file.string()});
    ASSERT_EQ(checked.exit_code, 0) << "promtool rejects deploy/prometheus.yml:\n"
                                    << checked.out << checked.err;
  }

  // Its own storage and a port of its own choosing: never the system's prometheus service.
  prometheus_ =
      Start({prometheus.string(), "--config.file=" + config_file.string(),
             "--storage.tsdb.path=" + (dir_.path() / "tsdb").string(), "--web.listen-address=127.0.0.1:0"},
            "prometheus");
  static const std::regex listening(R"(msg="Listening on" address=127\.0\.0\.1:(\d+))");
  prometheus_port_ = WaitForPort(*prometheus_, "prometheus", listening);
  ASSERT_NE(prometheus_port_, 0) << "prometheus did not start";

  // Both targets up in the job the dashboard selects (job="facetag"), with the samples of the
  // requests made above.
  const std::vector<std::pair<std::string, size_t>> wanted = {
      {R"(up{job="facetag"} == 1)", 2},
      {R"(facetag_http_requests_total{job="facetag", route="/healthz", method="GET", status="200"})", 2},
      {R"(facetag_http_requests_total{job="facetag", route="/api/v1/recognize", status="200"})", 1},
      {R"(facetag_model_latency_seconds_bucket{job="facetag", model="descriptor", le="+Inf"} >= 1)", 1},
      {R"(facetag_recognitions_total{job="facetag"} >= 1)", 1},
      {R"(facetag_cluster_workers{job="facetag"})", 1},
  };
  const auto deadline = Clock::now() + kScrapeWait;
  const auto started = Clock::now();
  size_t done = 0;
  while (done < wanted.size() && Clock::now() < deadline) {
    if (CountSeries(wanted[done].first) >= wanted[done].second) {
      ++done;
      continue;
    }
    ASSERT_TRUE(prometheus_->Running()) << "prometheus exited";
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(done, wanted.size()) << "after " << kScrapeWait.count() << " s Prometheus still has fewer than "
                                 << wanted[done].second << " series for " << wanted[done].first
                                 << "\nlast answer: " << last_answer_ << "\ntargets: "
                                 << HttpFetch(prometheus_port_, "GET", "/api/v1/targets").body;
  std::printf("scraped after %.1f s\n", std::chrono::duration<double>(Clock::now() - started).count());

  // Every metric the dashboard queries must be one Prometheus has from facetag: a panel on a
  // misspelt or never-exported metric stays empty in Grafana without any error.
  const auto names_answer = HttpFetch(prometheus_port_, "GET", "/api/v1/label/__name__/values");
  const json names_json = json::parse(names_answer.body, nullptr, false);
  ASSERT_TRUE(names_json.is_object() && names_json["data"].is_array()) << names_answer.body;
  std::set<std::string> known;
  for (const auto& n : names_json["data"]) known.insert(n.get<std::string>());

  const json dashboard =
      json::parse(ReadAll(SourceDir() / "deploy" / "grafana" / "facetag-dashboard.json"), nullptr, false);
  ASSERT_TRUE(dashboard.is_object()) << "deploy/grafana/facetag-dashboard.json is not JSON";
  std::vector<std::string> strings;
  CollectStrings(dashboard, strings);
  static const std::regex metric_name(R"(\bfacetag_[a-z0-9_]+)");
  std::set<std::string> queried;
  for (const auto& s : strings)
    for (auto it = std::sregex_iterator(s.begin(), s.end(), metric_name); it != std::sregex_iterator(); ++it)
      queried.insert(it->str());
  EXPECT_GE(queried.size(), 10u) << "the dashboard's queries were not found";
  for (const auto& name : queried)
    EXPECT_TRUE(known.count(name)) << "the dashboard queries " << name << ", which facetag does not export";

  // And every panel query parses, with the dashboard's variables as Grafana fills them in.
  std::vector<std::string> exprs;
  std::function<void(const json&)> collect_exprs = [&](const json& j) {
    if (j.is_object() && j.contains("expr") && j["expr"].is_string()) exprs.push_back(j["expr"]);
    if (j.is_structured())
      for (const auto& child : j) collect_exprs(child);
  };
  collect_exprs(dashboard);
  EXPECT_GE(exprs.size(), 10u);
  for (std::string expr : exprs) {
    const std::string original = expr;
    expr = std::regex_replace(expr, std::regex(R"(\$job)"), "facetag");
    expr = std::regex_replace(expr, std::regex(R"(\$instance)"), ".*");
    expr = std::regex_replace(expr, std::regex(R"(\$__rate_interval)"), "1m");
    EXPECT_FALSE(Query(expr).is_null()) << "Prometheus rejects the dashboard query " << original << ":\n"
                                        << last_answer_;
  }
}

}  // namespace
}  // namespace facetag::testing
