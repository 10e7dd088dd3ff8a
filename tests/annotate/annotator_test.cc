// Whole annotate runs against the OpenAI-compatible test server: what is sent, what is stored,
// what a second run skips, vision, bounded concurrency, stopping and carrying on.
#include <chrono>
#include <thread>

#include "annotate/annotate_fixture.h"

namespace facetag::testing {
namespace {

using Annotator = AnnotateTest;

TEST_F(Annotator, AnnotatesEveryPhotoAndStoresCaptionTagsAndModel) {
  MakeLibrary(4);
  OpenAiTestServer server({"fixture-model", "sk-test-123", false, true}, CaptionByNumber());
  AnnotateOptions o = Options(server);
  o.api_key = "sk-test-123";
  const AnnotateSummary s = Run(server, o);
  EXPECT_EQ(s.considered, 4);
  EXPECT_EQ(s.annotated, 4);
  EXPECT_EQ(s.failed, 0);
  EXPECT_TRUE(server.shape_errors().empty()) << server.shape_errors().front();
  ASSERT_EQ(server.requests().size(), 4u);
  for (int n = 1; n <= 4; ++n) {
    auto a = catalog().GetAnnotation(photo_ids_[n - 1]);
    ASSERT_TRUE(a.ok() && a->has_value()) << n;
    EXPECT_EQ((*a)->caption, "Photo " + std::to_string(n) + " at the seaside");
    EXPECT_EQ((*a)->tags, (std::vector<std::string>{"fixture", "n" + std::to_string(n)}));
    EXPECT_EQ((*a)->model, "fixture-model");
    EXPECT_NEAR(static_cast<double>((*a)->annotated_at), static_cast<double>(std::time(nullptr)), 60);
    // The EXIF facts read on the way are in the catalog now.
    auto exif = catalog().GetPhotoExif(photo_ids_[n - 1]);
    ASSERT_TRUE(exif.ok() && exif->has_value());
    EXPECT_EQ((*exif)->taken, PhotoDate(n) + "T10:00:00");
  }
  auto found = catalog().SearchPhotosByText("seaside n3");
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].id, photo_ids_[2]);
}

TEST_F(Annotator, ThePromptCarriesNamesDateAndPlaceButNoPath) {
  MakeLibrary(2);
  OpenAiTestServer server({"fixture-model", "", false, true}, CaptionByNumber());
  Run(server);
  ASSERT_EQ(server.requests().size(), 2u);
  for (const auto& r : server.requests()) {
    const int n = PhotoNumber(r);
    if (n == 1) {
      EXPECT_NE(r.text.find("People in it, left to right: Amy and Bob."), std::string::npos) << r.text;
      EXPECT_NE(r.text.find("Taken: 2021-03-01 10:00 (camera time)."), std::string::npos) << r.text;
      EXPECT_NE(r.text.find("Place: GPS 48.85840 N, 2.29450 E."), std::string::npos) << r.text;
    } else {
      EXPECT_EQ(n, 2);
      EXPECT_NE(r.text.find("People in it: 1."), std::string::npos) << r.text;  // unnamed: counted
      EXPECT_EQ(r.text.find("Place:"), std::string::npos);
    }
    EXPECT_EQ(r.body.find(".jpg"), std::string::npos) << "the file name went out";
    EXPECT_EQ(r.body.find(dir_.path().string()), std::string::npos) << "the path went out";
    EXPECT_TRUE(r.authorization.empty());
  }
}

TEST_F(Annotator, NoNamesSendsOnlyHowMany) {
  MakeLibrary(1);
  OpenAiTestServer server({"fixture-model", "", false, true}, CaptionByNumber());
  AnnotateOptions o = Options(server);
  o.send_names = false;
  Run(server, o);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].body.find("Amy"), std::string::npos);
  EXPECT_NE(server.requests()[0].text.find("People in it: 2."), std::string::npos);
}

TEST_F(Annotator, ASecondRunAsksOnlyAboutWhatChanged) {
  MakeLibrary(4);
  OpenAiTestServer server({"fixture-model", "", false, true}, CaptionByNumber());
  Run(server);
  ASSERT_EQ(server.requests().size(), 4u);
  AnnotateSummary again = Run(server);
  EXPECT_EQ(again.up_to_date, 4);
  EXPECT_EQ(again.annotated, 0);
  EXPECT_EQ(server.requests().size(), 4u);
  // Naming the unnamed person changes what the prompt says about photos 2 and 4 only.
  const auto faces = catalog().FacesOfPhoto(photo_ids_[1]);
  ASSERT_TRUE(catalog().NamePerson((*faces)[0].person_id, "Cat").ok());
  again = Run(server);
  EXPECT_EQ(again.annotated, 2);
  EXPECT_EQ(again.up_to_date, 2);
  ASSERT_EQ(server.requests().size(), 6u);
  EXPECT_NE(server.requests()[4].text.find("left to right: Cat."), std::string::npos);
  // Only the photos asked for; --force asks again.
  AnnotateOptions force = Options(server);
  force.force = true;
  again = Run(server, force, {photo_ids_[0]});
  EXPECT_EQ(again.considered, 1);
  EXPECT_EQ(again.annotated, 1);
  EXPECT_EQ(server.requests().size(), 7u);
}

TEST_F(Annotator, AChangedPhotoIsAnnotatedAgain) {
  MakeLibrary(2);
  OpenAiTestServer server({"fixture-model", "", false, true}, CaptionByNumber());
  Run(server);
  // Photo 1's file gets other content and is re-indexed (the same photo, replaced).
  const std::string bytes = ReadFileBytes(paths_[0]) + "\n";
  std::ofstream(paths_[0], std::ios::binary | std::ios::trunc) << bytes;
  PhotoInput in;
  in.path = paths_[0].string();
  in.stat = *library::StatFile(paths_[0]);
  in.content_hash = *HashFile(paths_[0]);
  in.width = 675;
  in.height = 469;
  ASSERT_TRUE(catalog().AddPhotoResult(in, {}).ok());
  EXPECT_TRUE(catalog().SearchPhotosByText("n1")->empty());  // the old caption no longer counts
  const AnnotateSummary again = Run(server);
  EXPECT_EQ(again.annotated, 1);
  EXPECT_EQ(again.up_to_date, 1);
  EXPECT_EQ(catalog().SearchPhotosByText("n1")->size(), 1u);
}

TEST_F(Annotator, VisionSendsThePhotoDownscaledAsJpeg) {
  MakeLibrary(2);
  OpenAiTestServer server({"fixture-model", "", true, true}, CaptionByNumber());
  AnnotateOptions o = Options(server);
  o.vision = true;
  o.max_image_side = 320;
  const AnnotateSummary s = Run(server, o);
  EXPECT_EQ(s.annotated, 2);
  EXPECT_TRUE(server.shape_errors().empty()) << server.shape_errors().front();
  for (const auto& r : server.requests()) {
    EXPECT_EQ(r.text.rfind("Describe this photo.", 0), 0u);
    const auto& jpeg = r.image_jpeg;
    auto decoded = DecodeImage({reinterpret_cast<const uint8_t*>(jpeg.data()), jpeg.size()});
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(decoded->format, "jpeg");
    EXPECT_EQ(decoded->image.width, 320);  // 675 x 469 -> 320 x 222
    EXPECT_EQ(decoded->image.height, 222);
  }
}

TEST_F(Annotator, ConcurrencyIsBounded) {
  MakeLibrary(6);
  std::atomic<int> in_flight{0}, most{0};
  OpenAiTestServer server({"fixture-model", "", false, true}, [&](const SeenRequest& r) {
    const int now = ++in_flight;
    for (int m = most.load(); now > m && !most.compare_exchange_weak(m, now);) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    --in_flight;
    return CaptionByNumber()(r);
  });
  AnnotateOptions o = Options(server);
  o.concurrency = 3;
  std::vector<AnnotateProgress> seen;
  auto s = AnnotatePhotos(catalog(), {}, o, [&](const AnnotateProgress& p) { seen.push_back(p); });
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->annotated, 6);
  EXPECT_EQ(most.load(), 3);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.front().done, 0);
  EXPECT_EQ(seen.back().done, 6);
  EXPECT_EQ(seen.back().total, 6);
  EXPECT_GT(seen.back().per_s, 0);
  EXPECT_DOUBLE_EQ(seen.back().eta_s, 0);
}

TEST_F(Annotator, StoppedMidRunThenCarriedOn) {
  MakeLibrary(6);
  std::atomic<bool> stop{false};
  OpenAiTestServer server({"fixture-model", "", false, true}, [](const SeenRequest& r) {
    FakeReply reply = CaptionByNumber()(r);
    reply.delay_s = 0.3;
    return reply;
  });
  AnnotateOptions o = Options(server);
  o.concurrency = 1;
  auto s = AnnotatePhotos(
      catalog(), {}, o,
      [&](const AnnotateProgress& p) {
        if (p.done == 2) stop = true;  // after two answers are committed
      },
      &stop);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->stopped);
  EXPECT_EQ(s->annotated, 2);
  EXPECT_EQ(s->failed, 0);  // what was in flight is not a failure, just not done
  const size_t asked_first = server.requests().size();
  EXPECT_LE(asked_first, 3u);
  const AnnotateSummary rest = Run(server);
  EXPECT_EQ(rest.up_to_date, 2);
  EXPECT_EQ(rest.annotated, 4);
  EXPECT_EQ(server.requests().size() - asked_first, 4u);
  EXPECT_EQ(catalog().SearchPhotosByText("fixture")->size(), 6u);
}

TEST_F(Annotator, ConfigurationErrors) {
  MakeLibrary(1);
  AnnotateOptions o;
  o.model = "m";
  EXPECT_EQ(AnnotatePhotos(catalog(), {}, o).status().code(), ErrorCode::kInvalidArgument);
  o.endpoint = "ftp://host";
  EXPECT_EQ(AnnotatePhotos(catalog(), {}, o).status().code(), ErrorCode::kInvalidArgument);
  o.endpoint = "http://127.0.0.1:9";
  o.model = "";
  EXPECT_EQ(AnnotatePhotos(catalog(), {}, o).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(*ChatCompletionsUrl("http://h:1"), "http://h:1/v1/chat/completions");
  EXPECT_EQ(*ChatCompletionsUrl("http://h:1/v1/"), "http://h:1/v1/chat/completions");
  EXPECT_EQ(*ChatCompletionsUrl("https://h/openai/v1/chat/completions"),
            "https://h/openai/v1/chat/completions");
}

}  // namespace
}  // namespace facetag::testing
