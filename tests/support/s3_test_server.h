// A real S3-protocol server for tests: s3rver (npm, pinned in tests/storage/package.json) run by
// tests/storage/s3_test_server.mjs on a loopback port, objects in the test's folder. It checks
// SigV4 signatures against its one key pair, and can be told to die in the middle of a listing.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cli/child_process.h"
#include "storage/s3_client.h"
#include "support/test_env.h"

namespace facetag::testing {

class S3TestServer {
 public:
  static constexpr char kKey[] = "facetag-test-key";
  static constexpr char kSecret[] = "facetag-test-secret-0123456789";

  // Starts the server with `buckets` made, objects kept under `dir` (kept across restarts).
  S3TestServer(const std::filesystem::path& dir, std::vector<std::string> buckets)
      : dir_(dir), buckets_(std::move(buckets)), port_(FreePort()) {}
  ~S3TestServer() {
    if (::testing::Test::HasFailure()) {
      std::ifstream in(log());
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      std::printf("---- s3 server log\n%s\n",
                  text.substr(text.size() > 4000 ? text.size() - 4000 : 0).c_str());
    }
  }

  // `die_after_lists` > 0: the server exits on that ListObjectsV2 request, without answering.
  void Start(int die_after_lists = 0) {
    const auto script = SourceDir() / "tests" / "storage" / "s3_test_server.mjs";
    ASSERT_TRUE(std::filesystem::exists(SourceDir() / "tests" / "storage" / "node_modules" / "s3rver"))
        << "s3rver is not installed: run scripts/setup.sh --tests (npm ci in tests/storage)";
    std::vector<std::string> argv = {
        "/usr/bin/env", "FACETAG_S3_TEST_PORT=" + std::to_string(port_),
        std::string("FACETAG_S3_TEST_KEY=") + kKey, std::string("FACETAG_S3_TEST_SECRET=") + kSecret,
        "FACETAG_S3_DIE_AFTER_LISTS=" + std::to_string(die_after_lists),
        "FACETAG_S3_TEST_SESSION_TOKEN=" + session_token_, "node",
        // s3rver's continuation tokens are DES-encrypted, which
        // OpenSSL 3 keeps in its legacy provider.
        "--openssl-legacy-provider", script.string(), (dir_ / "objects").string()};
    argv.insert(argv.end(), buckets_.begin(), buckets_.end());
    Stop();  // a server that died is reaped, one that runs is ended: one at a time on the port
    std::error_code ec;
    const auto logged_before = std::filesystem::exists(log(), ec) ? std::filesystem::file_size(log(), ec) : 0;
    process_ = StartLogged(argv, log());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      std::ifstream in(log());
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (text.find("listening " + std::to_string(port_), logged_before) != std::string::npos) return;
      ASSERT_TRUE(process_->Running()) << "the S3 server exited: " << text;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "the S3 server did not come up";
  }
  // From the next Start on, every request must carry this token, signed (temporary credentials).
  void RequireSessionToken(std::string token) { session_token_ = std::move(token); }
  void Stop() {
    if (!process_) return;
    process_->Kill(SIGKILL);
    process_->Wait();
  }
  // Whether the server has ended within `seconds` (it was told to die, or was expected to).
  bool ExitsWithin(int seconds) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (process_ && process_->Running() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return !process_ || !process_->Running();
  }

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::filesystem::path log() const { return dir_ / "s3.log"; }

  // What a facetag process needs in its environment to use this store.
  std::vector<std::string> Env(const std::string& secret = kSecret) const {
    return {std::string("AWS_ACCESS_KEY_ID=") + kKey, "AWS_SECRET_ACCESS_KEY=" + secret,
            "AWS_ENDPOINT_URL=" + endpoint(), "AWS_REGION=us-east-1"};
  }
  storage::S3Config Config(const std::string& secret = kSecret) const {
    storage::S3Config config;
    config.endpoint = endpoint();
    config.region = "us-east-1";
    config.access_key_id = kKey;
    config.secret_access_key = secret;
    return config;
  }
  storage::S3Client Client() const { return storage::S3Client(Config()); }

  // Uploads a local file as BUCKET/KEY.
  void Upload(const std::string& bucket, const std::string& key, const std::filesystem::path& file) const {
    std::ifstream in(file, std::ios::binary);
    const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_FALSE(bytes.empty()) << file;
    const Status put = Client().Put(bucket, key, bytes, "image/jpeg");
    ASSERT_TRUE(put.ok()) << put.ToString();
  }

  // The 5 faces-bbt group photos as `bucket`/bbt/bbt1.jpg ... bbt5.jpg.
  void UploadGroupPhotos(const std::string& bucket) const {
    for (int i = 1; i <= 5; ++i) {
      const std::string name = "bbt" + std::to_string(i) + ".jpg";
      ASSERT_NO_FATAL_FAILURE(Upload(bucket, "bbt/" + name, BbtDir() / name));
    }
  }

 private:
  std::filesystem::path dir_;
  std::vector<std::string> buckets_;
  int port_;
  std::unique_ptr<ChildProcess> process_;
  std::string session_token_;
};

}  // namespace facetag::testing
