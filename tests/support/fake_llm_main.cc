// facetag-fake-llm: the annotate tests' OpenAI-compatible server as a program, for trying
// `facetag annotate` by hand and for the worked example of docs/ANNOTATE.md on a machine with no
// model. It checks each request's shape as the tests do and answers a caption made from what the
// prompt says (names, date), so nothing is "seen" in the photo.
//   facetag-fake-llm [--port N] [--model NAME] [--key KEY] [--vision]
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include "support/openai_test_server.h"

namespace {

volatile std::sig_atomic_t stop = 0;

std::string Between(const std::string& text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  if (at == std::string::npos) return "";
  const size_t start = at + from.size();
  return text.substr(start, text.find(to, start) - start);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace facetag::testing;
  ServerExpectations expect{"fixture-model", "", false, true};
  int port = 0;
  for (int i = 1; i + 1 < argc || (i < argc && std::strcmp(argv[i], "--vision") == 0); ++i) {
    const std::string arg = argv[i];
    if (arg == "--vision") {
      expect.image = true;
    } else if (arg == "--port") {
      port = std::stoi(argv[++i]);
    } else if (arg == "--model") {
      expect.model = argv[++i];
    } else if (arg == "--key") {
      expect.api_key = argv[++i];
    } else {
      std::fprintf(stderr, "usage: facetag-fake-llm [--port N] [--model NAME] [--key KEY] [--vision]\n");
      return 2;
    }
  }
  OpenAiTestServer server(
      expect,
      [](const SeenRequest& r) {
        const std::string names = Between(r.text, "left to right: ", ".\n");
        const std::string date = Between(r.text, "Taken: ", " ");
        std::string caption = names.empty() ? "A photo" : names + " together";
        if (!date.empty()) caption += " on " + date;
        caption += ".";
        std::vector<std::string> tags = {"people"};
        if (names.find(" and ") != std::string::npos) tags.push_back("group");
        if (!r.image_jpeg.empty()) tags.push_back("seen");
        return OpenAiTestServer::Annotation(caption, tags, r.json["model"].get<std::string>());
      },
      static_cast<unsigned short>(port));
  std::printf("facetag-fake-llm: %s/v1/chat/completions, model %s%s\n", server.url().c_str(),
              expect.model.c_str(), expect.image ? ", images required" : "");
  std::fflush(stdout);
  std::signal(SIGINT, [](int) { stop = 1; });
  std::signal(SIGTERM, [](int) { stop = 1; });
  while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::printf("facetag-fake-llm: %zu requests, %zu refused as malformed\n", server.requests().size(),
              server.shape_errors().size());
  for (const auto& e : server.shape_errors()) std::printf("  refused: %s\n", e.c_str());
  return 0;
}
