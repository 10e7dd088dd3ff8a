// `facetag faces` as a user runs it: a real process, real files, its exit code and output.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "support/run_process.h"
#include "support/test_env.h"

namespace facetag {
namespace {

namespace fs = std::filesystem;
using testing::RunProcess;

std::string ReadFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

void WriteFile(const fs::path& p, const std::string& bytes) {
  std::ofstream f(p, std::ios::binary);
  f << bytes;
}

std::vector<nlohmann::json> JsonLines(const std::string& out) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

// A real JPEG whose frame header claims 60000 x 60000 pixels.
std::string JpegClaiming60000(std::string jpeg) {
  for (size_t i = 2; i + 9 < jpeg.size(); ++i) {
    const auto m = static_cast<unsigned char>(jpeg[i + 1]);
    if (static_cast<unsigned char>(jpeg[i]) == 0xFF && (m == 0xC0 || m == 0xC1 || m == 0xC2)) {
      jpeg[i + 5] = jpeg[i + 7] = static_cast<char>(0xEA);  // 60000 = 0xEA60
      jpeg[i + 6] = jpeg[i + 8] = static_cast<char>(0x60);
      return jpeg;
    }
  }
  ADD_FAILURE() << "no SOF marker";
  return jpeg;
}

// A real PNG whose IHDR claims 60000 x 60000 pixels, with a valid CRC so only the size is wrong.
std::string PngClaiming60000(std::string png) {
  const unsigned char size[4] = {0x00, 0x00, 0xEA, 0x60};
  png.replace(16, 4, reinterpret_cast<const char*>(size), 4);
  png.replace(20, 4, reinterpret_cast<const char*>(size), 4);
  const uLong crc = crc32(0, reinterpret_cast<const Bytef*>(png.data() + 12), 17);
  for (int k = 0; k < 4; ++k) png[29 + k] = static_cast<char>((crc >> (24 - 8 * k)) & 0xFF);
  return png;
}

class FacesCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("facetag-cli-test-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    testing::ModelDirOrFail();
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path Data(const std::string& rel) const { return testing::BbtDir() / rel; }

  fs::path dir_;
};

TEST_F(FacesCommand, HostileInputsGetClearErrorsWhileGoodPhotosStillWork) {
  const std::string jpeg = ReadFile(Data("bbt1.jpg"));
  const std::string png = ReadFile(Data("amy/amy1.png"));
  std::mt19937 rng(7);
  std::string noise(4096, '\0');
  for (char& c : noise) c = static_cast<char>(rng());

  WriteFile(dir_ / "empty.jpg", "");
  WriteFile(dir_ / "random.jpg", noise);
  WriteFile(dir_ / "truncated.jpg", jpeg.substr(0, jpeg.size() * 2 / 5));
  WriteFile(dir_ / "text.png", "this is not a picture\n");
  fs::create_directories(dir_ / "folder.jpg");
  WriteFile(dir_ / "bomb.jpg", JpegClaiming60000(jpeg));
  WriteFile(dir_ / "bomb.png", PngClaiming60000(png));
  const std::vector<std::string> inputs = {
      Data("bbt1.jpg").string(),         (dir_ / "empty.jpg").string(), (dir_ / "random.jpg").string(),
      (dir_ / "truncated.jpg").string(), (dir_ / "text.png").string(),  (dir_ / "folder.jpg").string(),
      (dir_ / "missing.jpg").string(),   (dir_ / "bomb.jpg").string(),  (dir_ / "bomb.png").string(),
      Data("bbt3.jpg").string(),
  };
  std::vector<std::string> argv = {FACETAG_CLI_PATH, "faces", "--json"};
  argv.insert(argv.end(), inputs.begin(), inputs.end());
  const auto r = RunProcess(argv);

  EXPECT_EQ(r.signal, 0) << r.err;
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_LT(r.max_rss_kb, 1536 * 1024) << "peak memory";
  const auto lines = JsonLines(r.out);
  ASSERT_EQ(lines.size(), inputs.size()) << r.out;
  for (size_t i = 0; i < inputs.size(); ++i) {
    EXPECT_EQ(lines[i].at("file"), inputs[i]);
    const bool good = i == 0 || i + 1 == inputs.size();
    if (good) {
      EXPECT_FALSE(lines[i].contains("error")) << lines[i].dump();
      EXPECT_GE(lines[i].at("faces").size(), 4u) << inputs[i];
    } else {
      ASSERT_TRUE(lines[i].contains("error")) << inputs[i];
      EXPECT_GT(lines[i].at("error").get<std::string>().size(), 10u) << inputs[i];
    }
  }
  // The reason must say what is wrong, not just that something is.
  EXPECT_NE(lines[1].at("error").get<std::string>().find("empty"), std::string::npos) << lines[1];
  EXPECT_NE(lines[3].at("error").get<std::string>().find("truncated"), std::string::npos) << lines[3];
  EXPECT_NE(lines[5].at("error").get<std::string>().find("directory"), std::string::npos) << lines[5];
  EXPECT_NE(lines[6].at("error").get<std::string>().find("no such file"), std::string::npos) << lines[6];
  EXPECT_NE(lines[7].at("error").get<std::string>().find("60000"), std::string::npos) << lines[7];
  EXPECT_NE(lines[8].at("error").get<std::string>().find("60000"), std::string::npos) << lines[8];
}

TEST_F(FacesCommand, JsonLineHasTheDocumentedShape) {
  const auto r = RunProcess({FACETAG_CLI_PATH, "faces", "--json", Data("bbt3.jpg").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = JsonLines(r.out);
  ASSERT_EQ(lines.size(), 1u);
  const auto& photo = lines[0];
  EXPECT_GT(photo.at("width").get<int>(), 0);
  EXPECT_GT(photo.at("height").get<int>(), 0);
  ASSERT_FALSE(photo.at("faces").empty());
  for (const auto& face : photo.at("faces")) {
    ASSERT_EQ(face.at("box").size(), 4u);
    EXPECT_GT(face.at("box")[2].get<double>(), 10.0);
    EXPECT_GT(face.at("score").get<double>(), 0.5);
    ASSERT_EQ(face.at("landmarks").size(), 68u);
    EXPECT_EQ(face.at("landmarks")[0].size(), 2u);
    EXPECT_EQ(face.at("embedding").size(), 128u);
  }
}

TEST_F(FacesCommand, HumanSummaryAndExitCodes) {
  auto r = RunProcess({FACETAG_CLI_PATH, "faces", Data("bbt3.jpg").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("5 faces"), std::string::npos) << r.out;

  r = RunProcess({FACETAG_CLI_PATH, "faces"});
  EXPECT_EQ(r.exit_code, 2) << "no images is a usage error";
  r = RunProcess({FACETAG_CLI_PATH, "faces", "--detector", "huge", Data("bbt3.jpg").string()});
  EXPECT_EQ(r.exit_code, 2) << "unknown detector is a usage error";
  r = RunProcess({FACETAG_CLI_PATH, "no-such-command"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST_F(FacesCommand, AnErrorLineNamesThePathOnce) {
  const std::string missing = (fs::temp_directory_path() / "facetag-no-such-photo.jpg").string();
  const auto r = RunProcess({FACETAG_CLI_PATH, "faces", missing});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const size_t first = r.out.find(missing);
  ASSERT_NE(first, std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(missing, first + 1), std::string::npos) << r.out;
}

TEST_F(FacesCommand, TinyDetectorFindsTheFacesOfAGroupPhoto) {
  const auto r =
      RunProcess({FACETAG_CLI_PATH, "faces", "--json", "--detector", "tiny", Data("bbt3.jpg").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GE(JsonLines(r.out)[0].at("faces").size(), 3u);
}

TEST_F(FacesCommand, CompareTellsSamePersonFromDifferentPeople) {
  auto r = RunProcess(
      {FACETAG_CLI_PATH, "compare", "--json", Data("bbt3.jpg").string(), Data("bbt3.jpg").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j.at("same_person").get<bool>());
  EXPECT_LT(j.at("distance").get<double>(), 1e-4);

  r = RunProcess({FACETAG_CLI_PATH, "compare", Data("bbt1.jpg").string(), (dir_ / "missing.jpg").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no such file"), std::string::npos) << r.err;
}

// --precision: int8 (oneDNN's SSD path) finds the same faces as f32; a bad value is a usage error,
// and int8 where the backend cannot run it is a clear error.
TEST_F(FacesCommand, PrecisionFlag) {
  auto doctor = RunProcess({FACETAG_CLI_PATH, "doctor", "--json"});
  ASSERT_EQ(doctor.exit_code, 0) << doctor.err;
  const auto report = nlohmann::json::parse(doctor.out);
  // auto only picks precisions at parity: f32 for the detectors and landmarks, f32 or bf16 for
  // the descriptor net.
  for (const auto& [net, choice] : report.at("auto").at("nets").items()) {
    const std::string runner = choice.at("runner");
    const std::string precision = runner.substr(runner.find(' ') + 1);
    EXPECT_TRUE(precision == "f32" || (net == "descriptor" && precision == "bf16")) << net << ": " << runner;
  }
  bool onednn = false;
  for (const auto& b : report.at("backends"))
    onednn = onednn || (b.at("name") == "onednn" && b.at("available"));

  auto r = RunProcess({FACETAG_CLI_PATH, "faces", "--precision", "fp16", Data("bbt3.jpg").string()});
  EXPECT_EQ(r.exit_code, 2) << "unknown precision is a usage error";
  r = RunProcess(
      {FACETAG_CLI_PATH, "faces", "--backend", "opencv", "--precision", "int8", Data("bbt3.jpg").string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("f32 only"), std::string::npos) << r.err;
  if (!onednn) return;  // this build has no oneDNN: the error above is all int8 can do
  const auto f32 = RunProcess({FACETAG_CLI_PATH, "faces", "--json", "--backend", "onednn", "--precision",
                               "f32", Data("bbt3.jpg").string()});
  const auto int8 = RunProcess({FACETAG_CLI_PATH, "faces", "--json", "--backend", "onednn", "--precision",
                                "int8", Data("bbt3.jpg").string()});
  ASSERT_EQ(f32.exit_code, 0) << f32.err;
  ASSERT_EQ(int8.exit_code, 0) << int8.err;
  EXPECT_EQ(JsonLines(int8.out)[0].at("faces").size(), JsonLines(f32.out)[0].at("faces").size());
  EXPECT_EQ(JsonLines(int8.out)[0].at("faces").size(), 5u);
}

}  // namespace
}  // namespace facetag
