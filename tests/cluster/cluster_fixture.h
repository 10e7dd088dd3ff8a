// Real clusters for tests: a `facetag head` (with its own nats-server), `facetag worker`s and
// `facetag index --head`, all real processes on loopback ports; logs kept in the temp folder.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "catalog/catalog_fixture.h"
#include "cli/child_process.h"
#include "facetag/cluster.h"
#include "support/run_process.h"
#include "support/test_env.h"

namespace facetag::testing {

// Waits (bounded) for a process to end; kills it and fails on timeout.
inline ChildProcess::Exit WaitForExit(ChildProcess& p, int seconds, const std::string& what) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (p.Running() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (p.Running()) {
    ADD_FAILURE() << what << " did not finish in " << seconds << " s";
    p.Kill();
  }
  return p.Wait();
}

// The dead-lettered jobs `facetag jobs --failed --json` lists, once there are at least `count`
// (or after 30 s, as many as there are then).
inline nlohmann::json WaitForFailedJobs(const std::string& url, const std::string& token, size_t count) {
  nlohmann::json failed = nlohmann::json::array();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = RunProcess({FACETAG_CLI_PATH, "jobs", "--failed", "--json", "--head", url, "--token", token});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    if (r.exit_code != 0) break;
    failed = nlohmann::json::parse(r.out);
    if (failed.size() >= count) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return failed;
}

// The test photos: the 5 group photos of faces-bbt (and, `with_crops`, its 40 face crops), copied
// so that every catalog in a test binary sees the same paths.
inline std::filesystem::path CopyTestPhotos(const std::filesystem::path& to, bool with_crops = false) {
  const auto from = BbtDir();
  std::filesystem::create_directories(to);
  for (const auto& e : std::filesystem::recursive_directory_iterator(from)) {
    const auto ext = e.path().extension();
    if (!e.is_regular_file() || !(ext == ".jpg" || (with_crops && ext == ".png"))) continue;
    const auto rel = std::filesystem::relative(e.path(), from);
    std::filesystem::create_directories((to / rel).parent_path());
    std::filesystem::copy_file(e.path(), to / rel, std::filesystem::copy_options::overwrite_existing);
  }
  return to;
}

inline nlohmann::json ExportCatalog(const std::filesystem::path& db) {
  auto r = RunProcess({FACETAG_CLI_PATH, "export", "--json", "--db", db.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out, nullptr, false);
}

// Same photos, same faces per photo (boxes within `tol` pixels), same partition into people.
inline void ExpectSameCatalog(const nlohmann::json& got, const nlohmann::json& want, float tol = 0.5f) {
  ASSERT_TRUE(got.is_object() && want.is_object());
  ASSERT_EQ(got["photos"].size(), want["photos"].size());
  using FaceKey = std::pair<std::string, size_t>;
  auto people_of = [](const nlohmann::json& cat) {
    std::map<int64_t, std::set<FaceKey>> by_person;
    for (const auto& p : cat["photos"]) {
      for (size_t i = 0; i < p["faces"].size(); ++i) {
        const auto& person = p["faces"][i]["person"];
        if (!person.is_null()) by_person[person.get<int64_t>()].insert({p["path"].get<std::string>(), i});
      }
    }
    std::set<std::set<FaceKey>> partition;
    for (auto& [id, faces] : by_person) partition.insert(faces);
    return partition;
  };
  for (size_t i = 0; i < want["photos"].size(); ++i) {
    const auto& g = got["photos"][i];
    const auto& w = want["photos"][i];
    ASSERT_EQ(g["path"], w["path"]);
    ASSERT_EQ(g["faces"].size(), w["faces"].size()) << w["path"];
    for (size_t f = 0; f < w["faces"].size(); ++f) {
      for (int k = 0; k < 4; ++k) {
        EXPECT_NEAR(g["faces"][f]["box"][k].get<float>(), w["faces"][f]["box"][k].get<float>(), tol)
            << w["path"];
      }
    }
  }
  EXPECT_EQ(people_of(got), people_of(want)) << "the faces are grouped into different people";
}

class TestCluster {
 public:
  explicit TestCluster(const std::filesystem::path& dir) : dir_(dir), port_(FreePort()) {}
  // On failure, the processes' logs are shown (the temp folder is deleted afterwards).
  ~TestCluster() {
    if (!::testing::Test::HasFailure()) return;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      if (e.path().extension() != ".log") continue;
      std::ifstream in(e.path());
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (text.size() > 4000) text = "..." + text.substr(text.size() - 4000);
      std::printf("---- %s\n%s\n", e.path().filename().c_str(), text.c_str());
    }
  }

  std::string url() const { return "nats://" + host_ + ":" + std::to_string(port_); }
  ClusterEndpoint endpoint() const { return {url(), token_}; }
  std::filesystem::path db() const { return dir_ / "cluster.db"; }
  std::filesystem::path log(const std::string& name) const { return dir_ / (name + ".log"); }
  void set_host(const std::string& host) { host_ = host; }

  void StartHead(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv = {
        FACETAG_CLI_PATH,      "head",    "--db",        db().string(), "--nats-port",
        std::to_string(port_), "--token", token_,        "--detector",  "tiny",
        "--ack-wait-ms",       "2000",    "--nats-host", host_};
    argv.insert(argv.end(), extra.begin(), extra.end());
    // The head serves HTTP on 127.0.0.1:8080 by default: off unless the test picks a port.
    if (std::find(extra.begin(), extra.end(), "--listen") == extra.end()) {
      argv.push_back("--listen");
      argv.push_back("off");
    }
    head_ = StartLogged(argv, log("head"));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      if (ClusterStatusJson(endpoint()).ok()) return;
      ASSERT_TRUE(head_->Running()) << "the head exited; see " << log("head");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL() << "the head did not come up";
  }
  ChildProcess& head() { return *head_; }
  void KillHead() {
    head_->Kill(SIGKILL);
    head_->Wait();
    // Its nats-server ends with it (parent-death signal): wait until the port is free.
    for (int i = 0; i < 100 && ClusterStatusJson(endpoint()).ok(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }

  ChildProcess& StartWorker(const std::string& name, const std::string& prefix = "exec") {
    workers_.push_back(StartLogged({FACETAG_CLI_PATH, "worker", "--head", url(), "--token", token_,
                                    "--detector", "tiny", "--name", name},
                                   log(name), prefix));
    return *workers_.back();
  }

  // Waits until `n` workers heartbeat.
  void WaitForWorkers(size_t n, int seconds = 30) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      if (Status()["nodes"].size() >= n) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "fewer than " << n << " workers joined";
  }

  // Waits until every one of `names` heartbeats (a dead worker's entry lingers for the TTL).
  void WaitForWorkerNames(const std::set<std::string>& names, int seconds = 30) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      std::set<std::string> seen;
      const nlohmann::json status = Status();  // kept alive: the loop walks into it
      for (const auto& n : status["nodes"]) seen.insert(n.value("name", ""));
      if (std::includes(seen.begin(), seen.end(), names.begin(), names.end())) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    FAIL() << "the workers did not join";
  }

  nlohmann::json Status() {
    auto text = ClusterStatusJson(endpoint());
    if (!text.ok())
      return nlohmann::json{{"nodes", nlohmann::json::array()}, {"error", text.status().ToString()}};
    return nlohmann::json::parse(*text);
  }

  std::unique_ptr<ChildProcess> StartIndex(const std::filesystem::path& photos) {
    return StartLogged(
        {FACETAG_CLI_PATH, "index", "--head", url(), "--token", token_, "--json", photos.string()},
        log("index"));
  }
  const std::string& token() const { return token_; }

 private:
  std::filesystem::path dir_;
  int port_;
  std::string host_ = "127.0.0.1";
  std::string token_ = "test-" + NewClusterToken();
  std::unique_ptr<ChildProcess> head_;
  std::vector<std::unique_ptr<ChildProcess>> workers_;
};

}  // namespace facetag::testing
