// What the photo library command tests share: a private folder with a catalog file, running
// `facetag` on it as a user would, photos to index (real ones, and labelled composites of the
// faces-bbt crops), and reading the catalog back through `export --json`.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "catalog/catalog_fixture.h"
#include "support/run_process.h"
#include "support/test_env.h"

namespace facetag::testing {

namespace fs = std::filesystem;

// The 8 people of faces-bbt, in labels.csv order.
inline const std::vector<std::string>& BbtPeople() {
  static const std::vector<std::string> people = {"amy",   "bernadette", "howard",  "leonard",
                                                  "penny", "raj",        "sheldon", "stuart"};
  return people;
}

inline fs::path DemoDir() { return DefaultFaceApiPackageDir() / "demo"; }

inline std::string ReadBytes(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

inline void WriteBytes(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream f(p, std::ios::binary);
  f << bytes;
}

// A copy whose content differs by trailing bytes: another photo to the catalog (another hash),
// the same faces to the decoder (JPEG and PNG ignore what follows their end marker). Copies of
// one file are distinct photos only with different counts of bytes.
inline void CopyWithBytesAppended(const fs::path& from, const fs::path& to, int bytes = 1) {
  WriteBytes(to, ReadBytes(from) + std::string(bytes, '\n'));
}

// A labelled test photo: four faces-bbt crops of four different people on a 2x2 grid, each
// crop (150 px, cut tight around the face) centred in a 350 px grey tile. The SSD finds no face
// in a bare crop (too tight), and all of them in these tiles. A face's person follows from which
// quadrant its box centre falls in.
struct Composite {
  fs::path file;
  std::vector<std::string> quadrant_person;  // top-left, top-right, bottom-left, bottom-right
};

inline constexpr int kTile = 350;

// Builds 10 composites in `dir`: every crop of every person once. Photos 0-4 show amy, howard,
// penny and sheldon, photos 5-9 bernadette, leonard, raj and stuart (crop number n = photo % 5
// + 1), in quadrants that rotate from photo to photo. `first`/`count` pick a subset.
inline std::vector<Composite> MakeComposites(const fs::path& dir, int first = 0, int count = 10) {
  std::vector<Composite> out;
  fs::create_directories(dir);
  for (int j = first; j < first + count; ++j) {
    const int half = j / 5, n = j % 5 + 1;
    Composite c;
    c.file = dir / ("composite" + std::to_string(j) + ".jpg");
    c.quadrant_person.resize(4);
    for (int k = 0; k < 4; ++k) c.quadrant_person[(k + n) % 4] = BbtPeople()[half + 2 * k];
    auto crop = [&](int q) {
      return (BbtDir() / c.quadrant_person[q] / (c.quadrant_person[q] + std::to_string(n) + ".png")).string();
    };
    const std::string border = std::to_string((kTile - 150) / 2);
    const auto r = RunProcess({"/usr/bin/convert",
                               "(",
                               crop(0),
                               crop(1),
                               "-bordercolor",
                               "gray50",
                               "-border",
                               border,
                               "+append",
                               ")",
                               "(",
                               crop(2),
                               crop(3),
                               "-bordercolor",
                               "gray50",
                               "-border",
                               border,
                               "+append",
                               ")",
                               "-append",
                               "-colorspace",
                               "sRGB",
                               c.file.string()});
    EXPECT_EQ(r.exit_code, 0) << "ImageMagick's convert is needed to build test photos: " << r.err;
    out.push_back(std::move(c));
  }
  return out;
}

inline std::string QuadrantPerson(const Composite& c, const nlohmann::json& box) {
  const double cx = box[0].get<double>() + box[2].get<double>() / 2;
  const double cy = box[1].get<double>() + box[3].get<double>() / 2;
  return c.quadrant_person[(cx >= kTile ? 1 : 0) + (cy >= kTile ? 2 : 0)];
}

// The bbt group photos and face-api's demo photos: real photos with 3-6 faces each.
inline std::vector<fs::path> RealPhotos() {
  std::vector<fs::path> files;
  for (int i = 1; i <= 5; ++i) files.push_back(BbtDir() / ("bbt" + std::to_string(i) + ".jpg"));
  for (int i = 1; i <= 6; ++i) files.push_back(DemoDir() / ("sample" + std::to_string(i) + ".jpg"));
  for (const auto& f : files) EXPECT_TRUE(fs::exists(f)) << f << " missing (run scripts/setup.sh)";
  return files;
}

// One face as export --json shows it.
struct ExportedFace {
  int64_t id = 0;
  std::vector<double> box;
  int64_t person = 0;  // 0: nobody
};

class LibraryTest : public ::testing::Test {
 protected:
  void SetUp() override { ModelDirOrFail(); }

  fs::path lib() const { return dir_.path() / "photos"; }
  fs::path db() const { return dir_.path() / "catalog.db"; }

  // `facetag COMMAND --db <this test's catalog> ARGS...`
  ProcessResult Facetag(const std::string& command, const std::vector<std::string>& args = {}) const {
    std::vector<std::string> argv = {FACETAG_CLI_PATH, command, "--db", db().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProcess(argv);
  }

  // `facetag index --json <lib>`: the parsed summary (and a test failure if it is no JSON).
  nlohmann::json Index(int expected_exit = 0, const std::vector<std::string>& roots = {}) const {
    std::vector<std::string> args = {"--json"};
    if (roots.empty()) args.push_back(lib().string());
    args.insert(args.end(), roots.begin(), roots.end());
    const ProcessResult r = Facetag("index", args);
    EXPECT_EQ(r.exit_code, expected_exit) << r.err << r.out;
    return ParseJson(r.out);
  }

  static nlohmann::json ParseJson(const std::string& out) {
    try {
      return nlohmann::json::parse(out);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "not JSON: " << e.what() << "\n" << out;
      return nlohmann::json::object();
    }
  }

  nlohmann::json Export() const {
    const ProcessResult r = Facetag("export", {"--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return ParseJson(r.out);
  }

  // Faces per photo path, in detection order.
  std::map<std::string, std::vector<ExportedFace>> FacesByPath() const {
    std::map<std::string, std::vector<ExportedFace>> out;
    const nlohmann::json e = Export();
    if (!e.contains("photos")) return out;
    for (const auto& p : e["photos"]) {
      auto& faces = out[p["path"].get<std::string>()];
      for (const auto& f : p["faces"]) {
        faces.push_back({f["id"].get<int64_t>(), f["box"].get<std::vector<double>>(),
                         f["person"].is_null() ? 0 : f["person"].get<int64_t>()});
      }
    }
    return out;
  }

  // Names each person of the composites: the person (cluster) most of their faces went to.
  std::map<std::string, int64_t> NameClustersByComposites(const std::vector<Composite>& composites) const {
    std::map<std::string, std::map<int64_t, int>> votes;
    const auto faces = FacesByPath();
    for (const Composite& c : composites) {
      const auto it = faces.find(c.file.string());
      if (it == faces.end()) continue;
      for (const ExportedFace& f : it->second) {
        if (f.person) ++votes[QuadrantPerson(c, f.box)][f.person];
      }
    }
    std::map<std::string, int64_t> ids;
    for (const auto& [name, v] : votes) {
      const auto best =
          std::max_element(v.begin(), v.end(), [](auto& a, auto& b) { return a.second < b.second; });
      const ProcessResult r = Facetag("name", {std::to_string(best->first), name});
      EXPECT_EQ(r.exit_code, 0) << r.err;
      ids[name] = best->first;
    }
    return ids;
  }

  TempDir dir_;
};

}  // namespace facetag::testing
