// `facetag index s3://BUCKET/PREFIX` against a real S3-protocol server (s3rver on loopback):
// objects are indexed as files are, their Size and LastModified standing for a file's size and
// mtime; store errors are clear and never leave a half-written catalog. `export --crops` writes
// a JPEG per face into a folder or the store.
#include <cmath>
#include <fstream>

#include "cluster/cluster_fixture.h"
#include "facetag/image.h"
#include "support/s3_test_server.h"

namespace facetag::testing {
namespace {

namespace fs = std::filesystem;

std::string ReadBytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class S3Index : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(server_.Start());
    ASSERT_NO_FATAL_FAILURE(server_.UploadGroupPhotos("photos"));
  }

  ProcessResult Index(const std::vector<std::string>& env, const std::string& root = "s3://photos/bbt") {
    return RunProcess(
        {FACETAG_CLI_PATH, "index", "--db", db().string(), "--detector", "tiny", "--json", root}, env);
  }
  nlohmann::json IndexOk(const std::string& root = "s3://photos/bbt") {
    const ProcessResult r = Index(server_.Env(), root);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
  }
  fs::path db() const { return dir_.path() / "catalog.db"; }
  // Catalogued photos by path, and how many of them are marked missing.
  std::pair<std::set<std::string>, int> Catalogued() {
    auto catalog = Catalog::Open(db());
    EXPECT_TRUE(catalog.ok());
    std::set<std::string> paths;
    int missing = 0;
    auto exported = (*catalog)->Export();
    EXPECT_TRUE(exported.ok());
    for (const auto& p : exported->photos) {
      paths.insert(p.photo.path);
      missing += p.photo.status == PhotoStatus::kMissing ? 1 : 0;
    }
    return {paths, missing};
  }

  TempDir dir_;
  S3TestServer server_{dir_.path(), {"photos"}};
};

TEST_F(S3Index, ObjectsAreIndexedLikeFilesRunAfterRun) {
  // Beside the 5 photos: a hidden folder's thumbnail, a text file and a photo outside the prefix.
  ASSERT_NO_FATAL_FAILURE(server_.Upload("photos", "bbt/.thumbs/bbt1.jpg", BbtDir() / "bbt1.jpg"));
  ASSERT_NO_FATAL_FAILURE(server_.Upload("photos", "bbt/labels.csv", BbtDir() / "labels.csv"));
  ASSERT_NO_FATAL_FAILURE(server_.Upload("photos", "bbt-other/bbt1.jpg", BbtDir() / "bbt1.jpg"));

  nlohmann::json s = IndexOk();
  EXPECT_EQ(s["files"], 5);
  EXPECT_EQ(s["added"], 5);
  EXPECT_EQ(s["failed"], 0);
  EXPECT_GE(s["faces_added"].get<int>(), 20);
  const std::set<std::string> want = {"s3://photos/bbt/bbt1.jpg", "s3://photos/bbt/bbt2.jpg",
                                      "s3://photos/bbt/bbt3.jpg", "s3://photos/bbt/bbt4.jpg",
                                      "s3://photos/bbt/bbt5.jpg"};
  EXPECT_EQ(Catalogued().first, want);

  s = IndexOk();
  EXPECT_EQ(s["unchanged"], 5) << "same Size and LastModified: not even fetched";
  EXPECT_EQ(s["analyzed"], 0);
  EXPECT_EQ(s["known_content"], 0);

  // An object replaced by another photo is analysed again; a deleted one is reported missing.
  ASSERT_NO_FATAL_FAILURE(
      server_.Upload("photos", "bbt/bbt2.jpg", DefaultFaceApiPackageDir() / "demo" / "sample1.jpg"));
  ASSERT_TRUE(server_.Client().Delete("photos", "bbt/bbt5.jpg").ok());
  s = IndexOk();
  EXPECT_EQ(s["files"], 4);
  EXPECT_EQ(s["unchanged"], 3);
  EXPECT_EQ(s["analyzed"], 1);
  EXPECT_EQ(s["replaced"], 1);
  EXPECT_EQ(s["missing"], 1);
  EXPECT_EQ(Catalogued().second, 1) << "bbt5.jpg is kept, marked missing";
}

TEST_F(S3Index, WrongCredentialsFailClearlyAndWriteNothing) {
  const std::string wrong_secret = "not-the-secret-at-all";
  ProcessResult r = Index(server_.Env(wrong_secret));
  EXPECT_EQ(r.exit_code, 1);
  nlohmann::json s = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_EQ(s["failures"].size(), 1u) << r.out;
  EXPECT_EQ(s["failures"][0]["path"], "s3://photos/bbt");
  EXPECT_NE(s["failures"][0]["error"].get<std::string>().find("access denied"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(wrong_secret), std::string::npos);
  EXPECT_EQ(r.err.find(wrong_secret), std::string::npos);
  EXPECT_TRUE(Catalogued().first.empty());

  // Over a catalogued store, nothing is taken for deleted either.
  IndexOk();
  r = Index(server_.Env(wrong_secret));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(Catalogued().first.size(), 5u);
  EXPECT_EQ(Catalogued().second, 0) << "no photo may be marked missing because the store refused us";
}

TEST_F(S3Index, AMissingBucketIsNamed) {
  const ProcessResult r = Index(server_.Env(), "s3://no-such-bucket/bbt");
  EXPECT_EQ(r.exit_code, 1);
  const nlohmann::json s = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_EQ(s["failures"].size(), 1u) << r.out;
  EXPECT_EQ(s["failures"][0]["error"], "not found: no such bucket: no-such-bucket");
}

TEST_F(S3Index, AServerThatDiesMidListingFailsTheRunCleanlyAndARerunResumes) {
  std::vector<std::string> env = server_.Env();
  env.push_back("FACETAG_S3_PAGE_SIZE=2");  // 5 photos: three pages
  ASSERT_NO_FATAL_FAILURE(server_.Start(/*die_after_lists=*/2));
  ProcessResult r = Index(env);
  EXPECT_TRUE(server_.ExitsWithin(5)) << "the server was to die on the second page";
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  nlohmann::json s = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_EQ(s["failures"].size(), 1u) << r.out;
  EXPECT_NE(s["failures"][0]["error"].get<std::string>().find("cannot reach " + server_.endpoint()),
            std::string::npos)
      << r.out;
  EXPECT_TRUE(Catalogued().first.empty()) << "half a listing indexes nothing";

  ASSERT_NO_FATAL_FAILURE(server_.Start());
  r = Index(env);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["added"], 5);

  // Dying again over a full catalog: the run fails, no photo is taken for deleted.
  ASSERT_NO_FATAL_FAILURE(server_.Start(/*die_after_lists=*/2));
  r = Index(env);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(Catalogued().first.size(), 5u);
  EXPECT_EQ(Catalogued().second, 0);
  ASSERT_NO_FATAL_FAILURE(server_.Start());
  r = Index(env);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["unchanged"], 5);
}

TEST_F(S3Index, GivesTheCatalogAFolderOfTheSamePhotosGives) {
  const fs::path photos = CopyTestPhotos(dir_.path() / "photos");
  const fs::path files_db = dir_.path() / "files.db";
  auto r = RunProcess({FACETAG_CLI_PATH, "index", "--db", files_db.string(), "--json", photos.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunProcess({FACETAG_CLI_PATH, "index", "--db", db().string(), "--json", "s3://photos/bbt"},
                 server_.Env());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

  nlohmann::json from_s3 = ExportCatalog(db());
  for (auto& p : from_s3["photos"]) {
    std::string path = p["path"].get<std::string>();
    p["path"] = (photos / path.substr(std::string("s3://photos/bbt/").size())).string();
  }
  const nlohmann::json from_files = ExportCatalog(files_db);
  ASSERT_EQ(from_files["photos"].size(), 5u);
  ExpectSameCatalog(from_s3, from_files, 0.0f);
}

TEST_F(S3Index, ExportCropsWritesOneJpegPerFaceNamedByItsIdToAFolderOrTheStore) {
  IndexOk();
  auto catalog = Catalog::Open(db());
  ASSERT_TRUE(catalog.ok());
  auto exported = (*catalog)->Export();
  ASSERT_TRUE(exported.ok());
  std::map<std::string, Box> boxes;  // "<face id>.jpg" -> its box
  for (const auto& p : exported->photos)
    for (const auto& f : p.faces) boxes[std::to_string(f.id) + ".jpg"] = f.box;
  ASSERT_GE(boxes.size(), 20u);

  const fs::path folder = dir_.path() / "crops";
  ProcessResult r = RunProcess(
      {FACETAG_CLI_PATH, "export", "--db", db().string(), "--crops", folder.string()}, server_.Env());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, std::to_string(boxes.size()) + " face crops from 5 photos into " + folder.string() + "\n");
  std::set<std::string> written;
  for (const auto& e : fs::directory_iterator(folder)) written.insert(e.path().filename().string());
  std::set<std::string> want;
  for (const auto& [name, box] : boxes) want.insert(name);
  EXPECT_EQ(written, want) << "one crop per face, named by face id, nothing else";
  for (const auto& [name, box] : boxes) {
    auto crop = DecodeImageFile(folder / name);
    ASSERT_TRUE(crop.ok()) << name << ": " << crop.status().ToString();
    EXPECT_EQ(crop->format, "jpeg");
    // The box and a 20 % margin on each side, less where the photo ends.
    EXPECT_LE(crop->image.width, static_cast<int>(std::ceil(box.width * 1.4f)) + 2) << name;
    EXPECT_GE(crop->image.width, static_cast<int>(box.width)) << name;
    EXPECT_LE(crop->image.height, static_cast<int>(std::ceil(box.height * 1.4f)) + 2) << name;
    EXPECT_GE(crop->image.height, static_cast<int>(box.height)) << name;
  }

  r = RunProcess({FACETAG_CLI_PATH, "export", "--db", db().string(), "--crops", "s3://photos/crops/"},
                 server_.Env());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto listed = server_.Client().List("photos", "crops/");
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  std::set<std::string> uploaded;
  for (const auto& o : *listed) uploaded.insert(o.key.substr(std::string("crops/").size()));
  EXPECT_EQ(uploaded, want);
  std::string object;
  ASSERT_TRUE(server_.Client()
                  .Get("photos", "crops/" + *want.begin(),
                       [&](const uint8_t* data, size_t size) { object.append(data, data + size); })
                  .ok());
  EXPECT_EQ(object, ReadBytes(folder / *want.begin())) << "the same crop either way";

  r = RunProcess({FACETAG_CLI_PATH, "export", "--db", db().string(), "--crops", "s3://no-such-bucket/crops"},
                 server_.Env());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no such bucket: no-such-bucket"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace facetag::testing
