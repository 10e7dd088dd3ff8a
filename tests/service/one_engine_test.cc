// The service analyses through the library's FaceEngine (issue 13): its batcher is just another
// embedder, and what it answers is what the engine finds.
#include <thread>

#include "pipeline/face_engine.h"
#include "pipeline/face_steps.h"
#include "service/descriptor_batcher.h"
#include "service/engine_metrics.h"
#include "service/service_fixture.h"

namespace facetag::testing {
namespace {

EngineOptions RecognitionEngineOptions() {
  EngineOptions o;
  o.model_dir = ModelDirOrFail();
  o.detector = DetectorKind::kTiny;  // as ServiceFixture serves
  o.fit_detector_to_image = true;
  return o;
}

std::vector<Face> AnalyzeFile(FaceEngine& engine, const std::filesystem::path& file, bool describe = true) {
  auto decoded = DecodeImageFile(file);
  EXPECT_TRUE(decoded.ok()) << decoded.status().ToString();
  if (!decoded.ok()) return {};
  auto faces = AnalyzeDecoded(engine, *decoded, describe);
  EXPECT_TRUE(faces.ok()) << faces.status().ToString();
  return faces.ok() ? std::move(*faces) : std::vector<Face>{};
}

// Two engines describe through one batcher at once, so their faces share net runs; every
// descriptor is bit for bit the one an engine with its own net computes.
TEST(DescriptorBatcher, BatchedDescriptorsEqualUnbatchedOnes) {
  const auto options = RecognitionEngineOptions();
  auto runners = pipeline::ResolveNetRunners(options);
  ASSERT_TRUE(runners.ok());
  service::Metrics metrics;
  auto batcher = service::DescriptorBatcher::Open(options.model_dir, runners->descriptor, 1, &metrics);
  ASSERT_TRUE(batcher.ok()) << batcher.status().ToString();
  auto alone = FaceEngine::Open(options);
  ASSERT_TRUE(alone.ok());
  const std::vector<std::filesystem::path> photos = {BbtDir() / "bbt1.jpg", BbtDir() / "bbt2.jpg",
                                                     BbtDir() / "bbt3.jpg", BbtDir() / "bbt4.jpg"};
  std::vector<std::vector<Face>> expected;
  for (const auto& p : photos) expected.push_back(AnalyzeFile(**alone, p));

  std::vector<std::vector<Face>> batched(photos.size());
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      pipeline::EngineSeams seams;
      seams.embedder = (*batcher)->NewEmbedder();
      auto engine = pipeline::OpenFaceEngine(options, std::move(seams));
      ASSERT_TRUE(engine.ok());
      for (size_t i = t; i < photos.size(); i += 2) batched[i] = AnalyzeFile(**engine, photos[i]);
    });
  }
  for (auto& t : threads) t.join();
  size_t faces = 0;
  for (size_t i = 0; i < photos.size(); ++i) {
    ASSERT_EQ(batched[i].size(), expected[i].size()) << photos[i];
    for (size_t f = 0; f < expected[i].size(); ++f, ++faces)
      EXPECT_EQ(batched[i][f].embedding, expected[i][f].embedding) << photos[i] << " face " << f;
  }
  EXPECT_GE(faces, 10u);
}

// The engine's stages reach the service's metrics through its StageObserver.
TEST(EngineMetrics, EveryStageIsObserved) {
  service::Metrics metrics;
  metrics.Declare("facetag_model_latency_seconds", "histogram", "Time in each net per run", {0.1, 1});
  metrics.Declare("facetag_batch_size", "histogram", "Descriptors per net run", {1, 16});
  metrics.Declare("facetag_descriptors_total", "counter", "Face descriptors computed");
  service::EngineMetrics observer(&metrics, false);
  pipeline::EngineSeams seams;
  seams.observer = &observer;
  auto engine = pipeline::OpenFaceEngine(RecognitionEngineOptions(), std::move(seams));
  ASSERT_TRUE(engine.ok());
  const auto faces = AnalyzeFile(**engine, BbtDir() / "bbt1.jpg");
  const std::string text = metrics.Exposition();
  for (const char* model : {"detector", "landmarks", "descriptor"})
    EXPECT_NE(text.find(std::string("facetag_model_latency_seconds_count{model=\"") + model + "\"} 1"),
              std::string::npos)
        << model << "\n"
        << text;
  EXPECT_NE(text.find("facetag_descriptors_total " + std::to_string(faces.size())), std::string::npos)
      << text;
}

class OneEngine : public ServiceFixture {};

// What /detect answers is what the library's engine finds in the same photo.
TEST_F(OneEngine, TheServicesFacesAreTheEnginesFaces) {
  ASSERT_TRUE(Start().ok());
  auto engine = FaceEngine::Open(RecognitionEngineOptions());
  ASSERT_TRUE(engine.ok());
  for (const char* name : {"bbt1.jpg", "bbt3.jpg", "amy/amy2.png"}) {
    SCOPED_TRACE(name);
    const auto expected = AnalyzeFile(**engine, BbtDir() / name, false);
    auto answer = PostImage("/api/v1/detect", ReadBytes(BbtDir() / name),
                            std::string(name).ends_with(".png") ? "image/png" : "image/jpeg");
    ASSERT_EQ(answer.status, 200) << answer.body;
    const auto faces = Json(answer)["faces"];
    ASSERT_EQ(faces.size(), expected.size());
    ASSERT_FALSE(expected.empty());
    for (size_t i = 0; i < expected.size(); ++i) {
      const auto& box = faces[i]["box"];
      EXPECT_NEAR(box[0].get<double>(), expected[i].box.x, 0.01);
      EXPECT_NEAR(box[1].get<double>(), expected[i].box.y, 0.01);
      EXPECT_NEAR(box[2].get<double>(), expected[i].box.width, 0.01);
      EXPECT_NEAR(box[3].get<double>(), expected[i].box.height, 0.01);
      EXPECT_NEAR(faces[i]["landmarks"][30][0].get<double>(), expected[i].landmarks[30].x, 0.01);
    }
  }
}

}  // namespace
}  // namespace facetag::testing
