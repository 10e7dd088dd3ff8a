// A real facetag service in-process on an ephemeral loopback port, over a real catalog file in a
// private folder, with the faces-bbt crops at hand.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "facetag/service.h"
#include "service/http_client.h"
#include "service/serve.h"
#include "support/test_env.h"

namespace facetag::testing {

inline std::string ReadBytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class ServiceFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("facetag-service-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "photos");
    options_.db = dir_ / "catalog.db";
    options_.listen = "127.0.0.1:0";
    options_.photo_roots = {dir_ / "photos"};
    options_.pipeline.engine.model_dir = ModelDirOrFail();
    options_.pipeline.engine.detector = DetectorKind::kTiny;
    options_.pipeline.workers = 2;
  }
  void TearDown() override {
    Stop();
    std::filesystem::remove_all(dir_);
  }

  // Starts the server; returns its status if it failed to start.
  Status Start() {
    std::promise<uint16_t> listening;
    auto port = listening.get_future();
    stop_ = false;
    result_ = std::async(std::launch::async, [this, p = std::move(listening)]() mutable {
      bool told = false;
      Status s = service::Serve(options_, {}, &stop_, [&](uint16_t bound) {
        told = true;
        p.set_value(bound);
      });
      if (!told) p.set_value(0);
      return s;
    });
    port_ = port.get();
    if (port_ == 0) return result_.get();
    return Status::Ok();
  }
  void Stop() {
    stop_ = true;
    if (result_.valid()) result_.get();
  }

  HttpAnswer Get(const std::string& target) { return HttpFetch(port_, "GET", target); }
  HttpAnswer PostJson(const std::string& target, const nlohmann::json& body) {
    return HttpFetch(port_, "POST", target, body.dump(), "application/json");
  }
  HttpAnswer PostImage(const std::string& target, const std::string& bytes,
                       const std::string& type = "image/png") {
    return HttpFetch(port_, "POST", target, bytes, type);
  }
  static nlohmann::json Json(const HttpAnswer& a) { return nlohmann::json::parse(a.body, nullptr, false); }
  static std::filesystem::path Bbt() { return BbtDir(); }

  std::filesystem::path dir_;
  ServeOptions options_;
  std::atomic<bool> stop_{false};
  std::future<Status> result_;
  uint16_t port_ = 0;
};

}  // namespace facetag::testing
