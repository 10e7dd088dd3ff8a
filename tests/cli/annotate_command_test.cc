// facetag annotate and photos --text as a user runs them, against the OpenAI-compatible test
// server on loopback: configuration messages, the API key, exit codes, selection, and a run
// killed (-9) or stopped (SIGTERM) mid-way that the next run finishes.
#include <chrono>
#include <thread>

#include "annotate/annotate_fixture.h"
#include "cli/child_process.h"
#include "support/run_process.h"

namespace facetag::testing {
namespace {

class AnnotateCommand : public AnnotateTest {
 protected:
  std::vector<std::string> Args(std::vector<std::string> args) {
    args.insert(args.begin(), FACETAG_CLI_PATH);
    args.push_back("--db");
    args.push_back(db_path().string());
    return args;
  }
  ProcessResult Facetag(std::vector<std::string> args, const std::vector<std::string>& env = {}) {
    return RunProcess(Args(std::move(args)), env);
  }
  std::vector<std::string> Annotate(const OpenAiTestServer& server, std::vector<std::string> more = {}) {
    std::vector<std::string> a = {"annotate", "--endpoint", server.url(), "--model", "fixture-model"};
    a.insert(a.end(), more.begin(), more.end());
    return a;
  }
  int64_t Annotated() {
    int64_t n = 0;
    for (int64_t id : photo_ids_)
      if (auto a = catalog().GetAnnotation(id); a.ok() && a->has_value()) ++n;
    return n;
  }
  std::vector<std::string> Lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }
};

TEST_F(AnnotateCommand, WithoutAnEndpointItSaysHowToConfigureOne) {
  MakeLibrary(1);
  const auto r = Facetag({"annotate", "--model", "m"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no LLM endpoint configured"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--endpoint URL"), std::string::npos);
  EXPECT_NE(r.err.find("FACETAG_LLM_ENDPOINT"), std::string::npos);
  EXPECT_NE(r.err.find("docs/ANNOTATE.md"), std::string::npos);
  const auto no_model = Facetag({"annotate"}, {"FACETAG_LLM_ENDPOINT=http://127.0.0.1:9"});
  EXPECT_EQ(no_model.exit_code, 2);
  EXPECT_NE(no_model.err.find("--model NAME or set FACETAG_LLM_MODEL"), std::string::npos) << no_model.err;
  EXPECT_EQ(Facetag({"annotate", "--endpoint", "localhost:8080", "--model", "m"}).exit_code, 2);
}

TEST_F(AnnotateCommand, AnnotatesWithTheKeyFromTheEnvironmentThenPhotosTextFindsThem) {
  MakeLibrary(4);
  OpenAiTestServer server({"fixture-model", "sk-cli-secret", false, true}, CaptionByNumber());
  const auto r =
      Facetag({"annotate"}, {"FACETAG_LLM_ENDPOINT=" + server.url(), "FACETAG_LLM_MODEL=fixture-model",
                             "FACETAG_LLM_API_KEY=sk-cli-secret"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(Lines(r.out).at(0).rfind("4 photos: 4 annotated, 0 up to date, 0 failed (", 0), 0u) << r.out;
  EXPECT_TRUE(server.shape_errors().empty());
  EXPECT_EQ((r.out + r.err).find("sk-cli-secret"), std::string::npos);
  EXPECT_EQ(r.err, "");  // not a terminal: no progress bar, and nothing logged

  const auto found = Facetag({"photos", "--text", "Seaside"});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  EXPECT_EQ(Lines(found.out).size(), 4u);
  const auto one = Facetag({"photos", "--text", "n3", "--json"});
  ASSERT_EQ(one.exit_code, 0);
  const auto j = nlohmann::json::parse(one.out);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["path"], paths_[2].string());
  EXPECT_EQ(j[0]["caption"], "Photo 3 at the seaside");
  EXPECT_EQ(j[0]["tags"], nlohmann::json::array({"fixture", "n3"}));
  // With people: both must hold.
  const auto amy = Facetag({"photos", "--person", "Amy", "--text", "n1"});
  EXPECT_EQ(Lines(amy.out), std::vector<std::string>{paths_[0].string()});
  EXPECT_TRUE(Lines(Facetag({"photos", "--person", "Amy", "--text", "n2"}).out).empty());
  EXPECT_EQ(Facetag({"photos"}).exit_code, 2);

  // A second run asks nothing.
  const auto again = Facetag(Annotate(server, {"--json"}), {"FACETAG_LLM_API_KEY=sk-cli-secret"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const auto summary = nlohmann::json::parse(again.out);
  EXPECT_EQ(summary["up_to_date"], 4);
  EXPECT_EQ(summary["annotated"], 0);
  EXPECT_EQ(server.requests().size(), 4u);
}

TEST_F(AnnotateCommand, SomePhotosFailedExitsWithOneAndSaysWhy) {
  MakeLibrary(3);
  OpenAiTestServer server({"fixture-model", "", false, true}, [](const SeenRequest& r) {
    return PhotoNumber(r) == 2 ? OpenAiTestServer::Completion("not json") : CaptionByNumber()(r);
  });
  const auto r = Facetag(Annotate(server));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("3 photos: 2 annotated, 0 up to date, 1 failed"), std::string::npos) << r.out;
  EXPECT_NE(
      r.out.find("failed: " + paths_[1].string() + ": the model's answer is not valid JSON: \"not json\""),
      std::string::npos)
      << r.out;
}

TEST_F(AnnotateCommand, PathsAndPersonsPickThePhotos) {
  MakeLibrary(4);
  OpenAiTestServer server({"fixture-model", "", false, true}, CaptionByNumber());
  // Bob is in photos 1 and 3; plus photo 2 by its path.
  const auto r = Facetag(Annotate(server, {"--person", "Bob", paths_[1].string()}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("3 photos: 3 annotated"), std::string::npos) << r.out;
  EXPECT_FALSE(catalog().GetAnnotation(photo_ids_[3])->has_value());
  // A folder: everything in it.
  const auto all = Facetag(Annotate(server, {paths_[0].parent_path().string()}));
  EXPECT_NE(all.out.find("4 photos: 1 annotated, 3 up to date"), std::string::npos) << all.out;
  EXPECT_EQ(Facetag(Annotate(server, {"/nowhere/x.jpg"})).exit_code, 1);
  EXPECT_EQ(Facetag(Annotate(server, {"--person", "Nobody"})).exit_code, 1);
}

TEST_F(AnnotateCommand, VisionFlagSendsTheImage) {
  MakeLibrary(1);
  OpenAiTestServer server({"fixture-model", "", true, true}, CaptionByNumber());
  const auto r = Facetag(Annotate(server, {"--vision", "--max-side", "256"}));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_FALSE(server.requests()[0].image_jpeg.empty());
}

// Each answer takes 0.4 s; the run is killed once two are in the catalog.
class AnnotateInterrupted : public AnnotateCommand {
 protected:
  void RunAndInterrupt(int sig) {
    MakeLibrary(6);
    OpenAiTestServer server({"fixture-model", "", false, true}, [](const SeenRequest& r) {
      FakeReply reply = CaptionByNumber()(r);
      reply.delay_s = 0.4;
      return reply;
    });
    ChildProcess child(Args(Annotate(server, {"--concurrency", "1"})));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (Annotated() < 2 && child.Running() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    child.Kill(sig);
    const auto exit = child.Wait();
    if (sig == SIGKILL) {
      EXPECT_EQ(exit.signal, SIGKILL);
    } else {
      EXPECT_EQ(exit.code, 1) << "a stopped run says so with exit code 1";
    }
    const int64_t before = Annotated();
    ASSERT_GE(before, 2);
    ASSERT_LT(before, 6) << "the run ended before it could be interrupted";
    const size_t asked = server.requests().size();

    const auto rest = Facetag(Annotate(server));
    ASSERT_EQ(rest.exit_code, 0) << rest.out << rest.err;
    EXPECT_NE(rest.out.find("6 photos: " + std::to_string(6 - before) + " annotated, " +
                            std::to_string(before) + " up to date, 0 failed"),
              std::string::npos)
        << rest.out;
    EXPECT_EQ(server.requests().size() - asked, static_cast<size_t>(6 - before));
    EXPECT_EQ(Annotated(), 6);
  }
};

TEST_F(AnnotateInterrupted, KilledThenTheNextRunAnnotatesOnlyTheRest) { RunAndInterrupt(SIGKILL); }
TEST_F(AnnotateInterrupted, StoppedBySigtermThenTheNextRunAnnotatesOnlyTheRest) { RunAndInterrupt(SIGTERM); }

}  // namespace
}  // namespace facetag::testing
