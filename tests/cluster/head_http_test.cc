// The head's HTTP service wired to the cluster, with real processes: a `facetag head --listen`
// (its own nats-server) and `facetag worker`s; the API spoken over real HTTP. Status lists the
// workers, /recognize is answered by a worker while one is up and by the head alone without,
// and POST /api/v1/index runs in the head's process with only the analysis of each photo sent to
// the workers (or done by the head itself when none is up or a worker dies).
#include <set>

#include "cluster/cluster_fixture.h"
#include "service/http_client.h"

namespace facetag::testing {
namespace {

using nlohmann::json;

std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::filesystem::path Bbt() { return BbtDir(); }

class HeadHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ModelDirOrFail();
    cluster_ = std::make_unique<TestCluster>(dir_.path());
    http_port_ = static_cast<uint16_t>(FreePort());
    photos_ = dir_.path() / "photos";
    // A few group photos: enough for both workers to take a job, quick with the tiny net.
    std::filesystem::create_directories(photos_);
    for (const char* photo : {"bbt2.jpg", "bbt3.jpg", "bbt4.jpg"})
      std::filesystem::copy_file(Bbt() / photo, photos_ / photo);
    ASSERT_NO_FATAL_FAILURE(
        cluster_->StartHead({"--listen", "127.0.0.1:" + std::to_string(http_port_), "--photos",
                             photos_.string(), "--name", "head-1", "--record-events"}));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (Get("/readyz").status != 200) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the head's HTTP service did not come up";
      ASSERT_TRUE(cluster_->head().Running()) << "the head exited";
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  HttpAnswer Get(const std::string& target) { return HttpFetch(http_port_, "GET", target); }
  HttpAnswer Post(const std::string& target, const std::string& body, const std::string& type) {
    return HttpFetch(http_port_, "POST", target, body, type);
  }
  static json Json(const HttpAnswer& a) { return json::parse(a.body, nullptr, false); }
  json ClusterStatus() {
    const json status = Json(Get("/api/v1/status"));
    return status.is_object() ? status["cluster"] : json();
  }

  // A person named `name` with the largest face of `image` (faces-bbt) registered as theirs.
  int64_t Register(const std::string& name, const std::string& image, const std::string& type) {
    auto created = Post("/api/v1/persons", json{{"name", name}}.dump(), "application/json");
    EXPECT_EQ(created.status, 201) << created.body;
    const int64_t id = Json(created).value("id", int64_t{0});
    auto faces = Post("/api/v1/persons/" + std::to_string(id) + "/faces", ReadAll(Bbt() / image), type);
    EXPECT_EQ(faces.status, 201) << faces.body;
    return id;
  }

  // The people /recognize names in `image` of faces-bbt (empty: nobody or an error), and the
  // node that served the answer.
  std::set<int64_t> Recognize(const std::string& image, const std::string& type,
                              std::string* served_by = nullptr) {
    auto answer = Post("/api/v1/recognize?source=lobby", ReadAll(Bbt() / image), type);
    EXPECT_EQ(answer.status, 200) << answer.body;
    if (served_by != nullptr) *served_by = Json(answer).value("served_by", "");
    const json faces = Json(answer)["faces"];
    EXPECT_FALSE(faces.empty()) << answer.body;
    std::set<int64_t> people;
    for (const json& f : faces)
      if (f["person"].is_object()) people.insert(f["person"].value("id", int64_t{0}));
    return people;
  }

  // Images the workers analysed for /recognize, from their heartbeats in the head's status.
  int64_t WorkerRecognitions() {
    int64_t sum = 0;
    const json cluster = ClusterStatus();  // kept alive: the loop walks into it
    for (const json& w : cluster["workers"]) sum += w.value("recognitions", int64_t{0});
    return sum;
  }

  // The value of an unlabelled counter or gauge in the head's /metrics (0 when absent).
  double Metric(const std::string& name) {
    const std::string text = Get("/metrics").body;
    const size_t at = text.find("\n" + name + " ");
    return at == std::string::npos ? 0 : std::stod(text.substr(at + name.size() + 2));
  }

  // Starts an index of `path` through the API and waits (bounded) for its end: GET /index then.
  json IndexThroughTheHead(const std::filesystem::path& path, int seconds = 120) {
    auto started = Post("/api/v1/index", json{{"path", path.string()}}.dump(), "application/json");
    EXPECT_EQ(started.status, 202) << started.body;
    return WaitForIndex(seconds);
  }
  json WaitForIndex(int seconds = 120) {
    json index;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    do {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      index = Json(Get("/api/v1/index"));
    } while (index.value("running", true) && std::chrono::steady_clock::now() < deadline);
    EXPECT_FALSE(index.value("running", true)) << "the index did not finish: " << index.dump();
    EXPECT_FALSE(index.contains("error")) << index.dump();
    return index;
  }

  // The catalogued photos under `root` by file name: who analysed each, its status and faces
  // (with embeddings), read from the catalog file.
  struct CataloguedPhoto {
    std::string processed_by;
    PhotoStatus status = PhotoStatus::kOk;
    std::vector<Face> faces;
  };
  static std::map<std::string, CataloguedPhoto> PhotosUnder(const std::filesystem::path& db,
                                                            const std::filesystem::path& root) {
    std::map<std::string, CataloguedPhoto> out;
    auto catalog = Catalog::Open(db);
    EXPECT_TRUE(catalog.ok()) << catalog.status().ToString();
    if (!catalog.ok()) return out;
    auto exported = (*catalog)->Export();
    EXPECT_TRUE(exported.ok());
    if (!exported.ok()) return out;
    for (const auto& p : exported->photos) {
      if (p.photo.path.rfind(root.string() + "/", 0) != 0) continue;
      CataloguedPhoto& c = out[std::filesystem::relative(p.photo.path, root).string()];
      c.processed_by = p.photo.processed_by;
      c.status = p.photo.status;
      auto faces = (*catalog)->FacesOfPhoto(p.photo.id);
      EXPECT_TRUE(faces.ok());
      if (faces.ok())
        for (const auto& f : *faces) c.faces.push_back(f.face);
    }
    return out;
  }

  // How many photos under `root` each node analysed ("" is the head itself), checking that all
  // `files` are catalogued and none failed.
  std::map<std::string, int> PhotosByNode(const std::filesystem::path& root, size_t files) const {
    const auto photos = PhotosUnder(cluster_->db(), root);
    EXPECT_EQ(photos.size(), files);
    std::map<std::string, int> by_node;
    for (const auto& [name, p] : photos) {
      EXPECT_EQ(p.status, PhotoStatus::kOk) << name;
      ++by_node[p.processed_by];
    }
    return by_node;
  }

  // The recorded events of the lobby (stored every 200 ms): at least `n` within 10 s.
  json LobbyEvents(size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    json events;
    do {
      events = Json(Get("/api/v1/events?source=lobby"))["events"];
      if (events.size() >= n) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    } while (std::chrono::steady_clock::now() < deadline);
    return events;
  }

  TempDir dir_;
  std::unique_ptr<TestCluster> cluster_;
  uint16_t http_port_ = 0;
  std::filesystem::path photos_;
};

TEST_F(HeadHttpTest, StatusRecognizeAndIndexGoThroughTheWorkers) {
  ChildProcess& w1 = cluster_->StartWorker("w1");
  ChildProcess& w2 = cluster_->StartWorker("w2");
  ASSERT_NO_FATAL_FAILURE(cluster_->WaitForWorkerNames({"w1", "w2"}));

  // The status page's data: the running workers by name, and the queue's numbers.
  const json cluster = ClusterStatus();
  ASSERT_TRUE(cluster.is_object()) << Get("/api/v1/status").body;
  std::set<std::string> names;
  for (const json& w : cluster["workers"]) names.insert(w.value("name", ""));
  EXPECT_EQ(names, (std::set<std::string>{"w1", "w2"}));
  EXPECT_TRUE(cluster["queue_depth"].is_number_integer()) << cluster.dump();
  EXPECT_TRUE(cluster["in_flight"].is_number_integer()) << cluster.dump();
  EXPECT_TRUE(cluster["failed"].is_number_integer()) << cluster.dump();
  // The same in /metrics, for the Grafana dashboard's cluster panels.
  EXPECT_EQ(Metric("facetag_cluster_workers"), 2);
  EXPECT_EQ(Metric("facetag_cluster_queue_depth"), cluster["queue_depth"].get<double>());

  // Recognition through a worker: the answer names the registered person, a worker's count of
  // answered requests goes up by one, and the head counts it as a remote recognition.
  // (A group photo: the workers run the tiny detector at its fixed 416 input, which misses the
  // faces of the small crops that the head's engine, sized to the image, finds.)
  const int64_t someone = Register("Someone", "bbt1.jpg", "image/jpeg");
  ASSERT_GT(someone, 0);
  const int64_t before = WorkerRecognitions();
  std::string served_by;
  EXPECT_EQ(Recognize("bbt1.jpg", "image/jpeg", &served_by), std::set<int64_t>{someone});
  // The answer names the worker that analysed it, and so do the head's recorded events.
  EXPECT_TRUE(served_by == "w1" || served_by == "w2") << served_by;
  const json events = LobbyEvents(1);
  ASSERT_FALSE(events.empty());
  for (const json& e : events) EXPECT_EQ(e.value("served_by", ""), served_by) << e.dump();
  EXPECT_EQ(Metric("facetag_remote_recognitions_total"), 1);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (WorkerRecognitions() < before + 1 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(WorkerRecognitions(), before + 1) << "no worker reported the recognition";

  // An index started on the head has the workers analyse and reports its progress to the end.
  auto started = Post("/api/v1/index", json{{"path", photos_.string()}}.dump(), "application/json");
  ASSERT_EQ(started.status, 202) << started.body;
  json index;
  const auto index_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(40);
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    index = Json(Get("/api/v1/index"));
  } while (index.value("running", true) && std::chrono::steady_clock::now() < index_deadline);
  EXPECT_FALSE(index.value("running", true)) << index.dump();
  EXPECT_EQ(index.value("phase", ""), "done") << index.dump();
  EXPECT_FALSE(index.contains("error")) << index.dump();
  EXPECT_EQ(index.value("files_total", 0), 3) << index.dump();
  EXPECT_EQ(index.value("files_done", 0), 3) << index.dump();
  // Its summary is the one an in-process index gives (it was empty in head mode).
  ASSERT_TRUE(index.contains("summary")) << index.dump();
  EXPECT_EQ(index["summary"].value("files", 0), 3) << index.dump();
  EXPECT_EQ(index["summary"].value("added", 0), 3) << index.dump();
  EXPECT_GE(index["summary"].value("faces_added", 0), 4) << index.dump();
  EXPECT_TRUE(index["summary"]["failures"].empty()) << index.dump();
  std::map<std::string, int> by_worker;
  {
    auto catalog = Catalog::Open(cluster_->db());
    ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
    auto exported = (*catalog)->Export();
    ASSERT_TRUE(exported.ok());
    for (const auto& p : exported->photos) {
      if (p.photo.path.rfind(photos_.string(), 0) == 0) ++by_worker[p.photo.processed_by];
    }
  }
  EXPECT_EQ(by_worker["w1"] + by_worker["w2"], 3) << "every indexed photo records the worker that did it";
  EXPECT_EQ(by_worker.count(""), 0u);
  // The faces the workers found are in the head's catalog, as its API shows it.
  EXPECT_GE(Json(Get("/api/v1/status"))["catalog"].value("faces", 0), 4);

  // Workers that leave drop out of the status at once (they remove themselves).
  w1.Kill(SIGTERM);
  w2.Kill(SIGTERM);
  EXPECT_EQ(w1.Wait().code, 0);
  EXPECT_EQ(w2.Wait().code, 0);
  EXPECT_TRUE(ClusterStatus()["workers"].empty()) << ClusterStatus().dump();
  EXPECT_EQ(Metric("facetag_cluster_workers"), 0);
}

TEST_F(HeadHttpTest, WithoutWorkersTheHeadRecognizesItself) {
  EXPECT_TRUE(ClusterStatus()["workers"].empty());
  const int64_t bernadette = Register("Bernadette", "bernadette/bernadette1.png", "image/png");
  ASSERT_GT(bernadette, 0);
  const auto t0 = std::chrono::steady_clock::now();
  std::string served_by;
  EXPECT_EQ(Recognize("bernadette/bernadette4.png", "image/png", &served_by), std::set<int64_t>{bernadette});
  EXPECT_EQ(served_by, "head-1");
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(took, 5.0) << "the head waited for a worker that is not there";
  EXPECT_EQ(Metric("facetag_remote_recognitions_total"), 0);
  EXPECT_EQ(Metric("facetag_remote_failures_total"), 0) << "it asked the workers although none was up";
  EXPECT_EQ(Metric("facetag_recognitions_total"), 1);
  const json events = LobbyEvents(1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["person"].value("id", int64_t{0}), bernadette);
  EXPECT_EQ(events[0]["served_by"], "head-1");
}

// The head's own index is `facetag index` in the head's process: the same photos, the same faces
// to the bit and the same summary; only each photo's analysis was a worker's.
TEST_F(HeadHttpTest, TheHeadIndexesItselfAndTheWorkersOnlyAnalyse) {
  const auto group = dir_.path() / "photos" / "group";
  std::filesystem::create_directories(group);
  for (const char* photo : {"bbt1.jpg", "bbt2.jpg", "bbt3.jpg", "bbt4.jpg", "bbt5.jpg"})
    std::filesystem::copy_file(Bbt() / photo, group / photo);
  cluster_->StartWorker("w1");
  cluster_->StartWorker("w2");
  ASSERT_NO_FATAL_FAILURE(cluster_->WaitForWorkerNames({"w1", "w2"}));

  const json index = IndexThroughTheHead(group);
  EXPECT_EQ(index.value("phase", ""), "done") << index.dump();
  ASSERT_TRUE(index.contains("summary")) << index.dump();
  const json& summary = index["summary"];
  EXPECT_EQ(summary.value("files", 0), 5) << summary.dump();
  EXPECT_EQ(summary.value("analyzed", 0), 5) << summary.dump();
  EXPECT_EQ(summary.value("added", 0), 5) << summary.dump();
  EXPECT_EQ(summary.value("failed", -1), 0) << summary.dump();
  EXPECT_TRUE(summary["failures"].empty()) << summary.dump();
  EXPECT_GE(summary.value("new_people", 0), 1) << "the new faces were grouped: " << summary.dump();

  // The same photos indexed by `facetag index` on this machine, with the workers' detector.
  const auto local_db = dir_.path() / "local.db";
  auto local = RunProcess(
      {FACETAG_CLI_PATH, "index", "--db", local_db.string(), "--detector", "tiny", group.string()});
  ASSERT_EQ(local.exit_code, 0) << local.err;
  const auto head_photos = PhotosUnder(cluster_->db(), group);
  const auto local_photos = PhotosUnder(local_db, group);
  ASSERT_EQ(head_photos.size(), 5u);
  ASSERT_EQ(local_photos.size(), 5u);
  int faces = 0;
  for (const auto& [name, want] : local_photos) {
    ASSERT_TRUE(head_photos.count(name)) << name;
    const CataloguedPhoto& got = head_photos.at(name);
    EXPECT_TRUE(got.processed_by == "w1" || got.processed_by == "w2") << name << ": " << got.processed_by;
    EXPECT_TRUE(want.processed_by.empty());
    ASSERT_EQ(got.faces.size(), want.faces.size()) << name;
    for (size_t f = 0; f < want.faces.size(); ++f) {
      ++faces;
      EXPECT_NEAR(got.faces[f].box.x, want.faces[f].box.x, 1e-3) << name;
      EXPECT_NEAR(got.faces[f].box.width, want.faces[f].box.width, 1e-3) << name;
      ASSERT_EQ(got.faces[f].embedding.size(), want.faces[f].embedding.size()) << name;
      for (size_t k = 0; k < want.faces[f].embedding.size(); ++k)
        ASSERT_NEAR(got.faces[f].embedding[k], want.faces[f].embedding[k], 1e-4) << name << " face " << f;
    }
  }
  EXPECT_GE(faces, 5) << "the group photos have faces";
  // Analysed on request (facetag.analyze), not as jobs of the queue; the workers' heartbeats
  // (every second) say so.
  int64_t analyses = 0, jobs = 0;
  json cluster;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    analyses = jobs = 0;
    cluster = ClusterStatus();
    for (const json& w : cluster["workers"]) {
      analyses += w.value("analyses", int64_t{0});
      jobs += w.value("jobs_done", int64_t{0});
    }
  } while (analyses < 5 && std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(analyses, 5) << cluster.dump();
  EXPECT_EQ(jobs, 0) << cluster.dump();
  EXPECT_EQ(summary.value("faces_added", 0), faces) << summary.dump();
}

// Killed in the middle of the head's index, a worker takes no photo with it: its unanswered
// requests go to the other worker (or the head), and nothing is recorded as failed.
TEST_F(HeadHttpTest, AWorkerKilledDuringTheHeadsIndexCostsNoPhoto) {
  // 45 photos: the index is still running at the kill even when this test waits its turn on a
  // loaded machine (5 were once all done between two looks).
  const auto many = CopyTestPhotos(dir_.path() / "photos" / "many", /*with_crops=*/true);
  size_t files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(many)) files += e.is_regular_file();
  ChildProcess& w1 = cluster_->StartWorker("w1");
  cluster_->StartWorker("w2");
  ASSERT_NO_FATAL_FAILURE(cluster_->WaitForWorkerNames({"w1", "w2"}));

  auto started = Post("/api/v1/index", json{{"path", many.string()}}.dump(), "application/json");
  ASSERT_EQ(started.status, 202) << started.body;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (Json(Get("/api/v1/index")).value("files_done", 0) < 3 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const json before_kill = Json(Get("/api/v1/index"));
  EXPECT_TRUE(before_kill.value("running", false))
      << "the index ended before the kill: " << before_kill.dump();
  w1.Kill(SIGKILL);
  w1.Wait();

  const json index = WaitForIndex(180);
  ASSERT_TRUE(index.contains("summary")) << index.dump();
  const json& summary = index["summary"];
  EXPECT_EQ(summary.value("files", 0), static_cast<int>(files)) << summary.dump();
  EXPECT_EQ(summary.value("failed", -1), 0) << summary.dump();
  EXPECT_TRUE(summary["failures"].empty()) << summary.dump();
  auto by_node = PhotosByNode(many, files);
  EXPECT_GT(by_node["w2"], 0) << "the surviving worker took over";
}

// A worker that stops answering (frozen: its connection stays up, so requests still go to it)
// and drops out of the registry: its photos and the rest are analysed by the head's own engine,
// and none is recorded as failed.
TEST_F(HeadHttpTest, WhenTheOnlyWorkerHangsTheHeadAnalysesTheRestItself) {
  const auto many = CopyTestPhotos(dir_.path() / "photos" / "many");
  size_t files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(many)) files += e.is_regular_file();
  ChildProcess& w1 = cluster_->StartWorker("w1");
  ASSERT_NO_FATAL_FAILURE(cluster_->WaitForWorkerNames({"w1"}));

  auto started = Post("/api/v1/index", json{{"path", many.string()}}.dump(), "application/json");
  ASSERT_EQ(started.status, 202) << started.body;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (Json(Get("/api/v1/index")).value("files_done", 0) < 3 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  w1.Kill(SIGSTOP);
  const json index = WaitForIndex(180);
  w1.Kill(SIGKILL);
  w1.Wait();
  ASSERT_TRUE(index.contains("summary")) << index.dump();
  EXPECT_EQ(index["summary"].value("failed", -1), 0) << index.dump();
  auto by_node = PhotosByNode(many, files);
  EXPECT_GT(by_node["w1"], 0) << "the worker took part before it hung";
  EXPECT_GT(by_node[""], 0) << "the head analysed the rest";
  EXPECT_EQ(by_node["w1"] + by_node[""], static_cast<int>(files));
}

// With no worker up, the head's index analyses with the head's own engine.
TEST_F(HeadHttpTest, WithoutWorkersTheHeadIndexesWithItsOwnEngine) {
  EXPECT_TRUE(ClusterStatus()["workers"].empty());
  const json index = IndexThroughTheHead(photos_);
  ASSERT_TRUE(index.contains("summary")) << index.dump();
  EXPECT_EQ(index["summary"].value("added", 0), 3) << index.dump();
  EXPECT_TRUE(index["summary"]["failures"].empty()) << index.dump();
  const auto photos = PhotosUnder(cluster_->db(), photos_);
  ASSERT_EQ(photos.size(), 3u);
  for (const auto& [name, p] : photos) {
    EXPECT_EQ(p.processed_by, "") << name << " was analysed elsewhere";
    EXPECT_FALSE(p.faces.empty()) << name;
  }
}

// A photo a worker found broken is recorded as failed, reported again while it is unchanged
// (without asking a worker) and analysed again once it changes.
TEST_F(HeadHttpTest, AFailedPhotoIsReportedWhileUnchangedAndRetriedOnceChanged) {
  const auto folder = dir_.path() / "photos" / "mixed";
  std::filesystem::create_directories(folder);
  std::filesystem::copy_file(Bbt() / "bbt1.jpg", folder / "bbt1.jpg");
  std::ofstream(folder / "broken.jpg", std::ios::binary) << "\xff\xd8\xff not a photo after all";
  cluster_->StartWorker("w1");
  ASSERT_NO_FATAL_FAILURE(cluster_->WaitForWorkerNames({"w1"}));
  auto failed_paths = [](const json& summary) {
    std::vector<std::string> out;
    for (const auto& f : summary["failures"]) out.push_back(std::filesystem::path(f["path"]).filename());
    return out;
  };

  const json first = IndexThroughTheHead(folder)["summary"];
  EXPECT_EQ(failed_paths(first), std::vector<std::string>{"broken.jpg"}) << first.dump();
  EXPECT_EQ(first.value("failed", 0), 1) << first.dump();
  auto photos = PhotosUnder(cluster_->db(), folder);
  EXPECT_EQ(photos["broken.jpg"].status, PhotoStatus::kFailed);
  EXPECT_EQ(photos["broken.jpg"].processed_by, "w1") << "the worker's verdict, not a transport failure";
  EXPECT_EQ(photos["bbt1.jpg"].processed_by, "w1");

  const json second = IndexThroughTheHead(folder)["summary"];
  EXPECT_EQ(second.value("unchanged", 0), 2) << second.dump();
  EXPECT_EQ(failed_paths(second), std::vector<std::string>{"broken.jpg"}) << second.dump();

  std::filesystem::copy_file(Bbt() / "bbt2.jpg", folder / "broken.jpg",
                             std::filesystem::copy_options::overwrite_existing);
  const json third = IndexThroughTheHead(folder)["summary"];
  EXPECT_EQ(third.value("analyzed", 0), 1) << third.dump();
  EXPECT_EQ(third.value("replaced", 0), 1) << third.dump();
  EXPECT_TRUE(third["failures"].empty()) << third.dump();
  photos = PhotosUnder(cluster_->db(), folder);
  EXPECT_EQ(photos["broken.jpg"].status, PhotoStatus::kOk);
  EXPECT_FALSE(photos["broken.jpg"].faces.empty());
}

}  // namespace
}  // namespace facetag::testing
