// Cluster mode over photos in object storage: jobs carry s3:// references and each worker fetches
// the object from the store itself (no shared file system; the photos exist only in the store).
#include "cluster/cluster_fixture.h"
#include "cluster/nats_connection.h"
#include "cluster/protocol.h"
#include "support/s3_test_server.h"

namespace facetag::testing {
namespace {

namespace fs = std::filesystem;

class S3Cluster : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(server_.Start());
    ASSERT_NO_FATAL_FAILURE(server_.UploadGroupPhotos("photos"));
  }

  // `exec env AWS_...=...`: the store's settings for a process the cluster fixture starts.
  std::string WithStore() const {
    std::string prefix = "exec env";
    for (const auto& kv : server_.Env()) prefix += " '" + kv + "'";
    return prefix;
  }

  TempDir dir_;
  S3TestServer server_{dir_.path(), {"photos"}};
};

TEST_F(S3Cluster, WorkersFetchTheObjectsAndAKilledWorkerLosesNothing) {
  // The reference: a single-node index of the same photos as files.
  const fs::path photos = CopyTestPhotos(dir_.path() / "files");
  const fs::path single_db = dir_.path() / "single.db";
  auto single = RunProcess({FACETAG_CLI_PATH, "index", "--db", single_db.string(), "--detector", "tiny",
                            "--json", photos.string()});
  ASSERT_EQ(single.exit_code, 0) << single.err;

  TestCluster cluster(dir_.path());
  ASSERT_NO_FATAL_FAILURE(cluster.StartHead());
  ChildProcess& doomed = cluster.StartWorker("w1", WithStore());
  ASSERT_NO_FATAL_FAILURE(cluster.WaitForWorkers(1));
  auto index = StartLogged({FACETAG_CLI_PATH, "index", "--head", cluster.url(), "--token", cluster.token(),
                            "--json", "s3://photos/bbt"},
                           cluster.log("index"), WithStore());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (cluster.Status().value("in_flight", 0) < 1 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "no job went in flight";
  doomed.Kill(SIGKILL);  // mid-job: its job comes back after the ack wait, to the second worker
  doomed.Wait();
  cluster.StartWorker("w2", WithStore());
  EXPECT_EQ(WaitForExit(*index, 90, "the index").code, 0) << "see " << cluster.log("index");
  cluster.head().Kill(SIGTERM);
  WaitForExit(cluster.head(), 20, "the head");

  nlohmann::json from_s3 = ExportCatalog(cluster.db());
  for (auto& p : from_s3["photos"]) {
    const std::string path = p["path"].get<std::string>();
    ASSERT_EQ(path.rfind("s3://photos/bbt/", 0), 0u) << path;
    p["path"] = (photos / path.substr(std::string("s3://photos/bbt/").size())).string();
  }
  ExpectSameCatalog(from_s3, ExportCatalog(single_db));
  auto catalog = Catalog::Open(cluster.db());
  ASSERT_TRUE(catalog.ok());
  auto exported = (*catalog)->Export();
  ASSERT_TRUE(exported.ok());
  int by_w2 = 0;
  for (const auto& p : exported->photos) {
    EXPECT_FALSE(p.photo.processed_by.empty()) << p.photo.path << ": every photo went through a worker";
    by_w2 += p.photo.processed_by == "w2" ? 1 : 0;
  }
  EXPECT_GT(by_w2, 0) << "the second worker fetched and analysed what the killed one left";
}

TEST_F(S3Cluster, AWorkerThatReadsOtherBytesThanTheJobsHashFailsTheJobSayingSo) {
  TestCluster cluster(dir_.path());
  ASSERT_NO_FATAL_FAILURE(cluster.StartHead());
  cluster.StartWorker("w1", WithStore());
  ASSERT_NO_FATAL_FAILURE(cluster.WaitForWorkers(1));
  {
    auto conn = cluster::NatsConnection::Connect(cluster.endpoint(), "test");
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    cluster::Job job;
    job.id = std::string(64, 'a');  // the content the object had when it was queued
    job.path = "s3://photos/bbt/bbt1.jpg";
    job.stat = {123, 456};
    ASSERT_TRUE((*conn)->Publish(cluster::kJobsSubject, cluster::EncodeJob(job)).ok());
  }
  const nlohmann::json failed = WaitForFailedJobs(cluster.url(), cluster.token(), 1);
  ASSERT_EQ(failed.size(), 1u) << failed.dump();
  EXPECT_EQ(failed[0]["path"], "s3://photos/bbt/bbt1.jpg");
  EXPECT_NE(failed[0]["reason"].get<std::string>().find("changed after it was queued"), std::string::npos)
      << failed.dump();
  EXPECT_EQ(failed[0]["deliveries"], 1) << "different bytes are final: not retried";
}

}  // namespace
}  // namespace facetag::testing
