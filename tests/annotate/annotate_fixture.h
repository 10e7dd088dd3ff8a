// A catalog built through the library over real JPEG files (faces-bbt's bbt2.jpg, each copy with
// its own EXIF date, so each photo's prompt says which photo it is), with named people, and the
// OpenAI-compatible test server to annotate them against.
#pragma once

#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "catalog/catalog_fixture.h"
#include "facetag/annotate.h"
#include "library/file_stat.h"
#include "support/exif_writer.h"
#include "support/openai_test_server.h"
#include "support/test_env.h"

namespace facetag::testing {

inline std::string ReadFileBytes(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

// "2021-03-0N" for photo N (1-based), as the prompt shows it.
inline std::string PhotoDate(int n) {
  return "2021-03-" + std::string(n < 10 ? "0" : "") + std::to_string(n);
}

// The photo number a request is about, from the date in its prompt; 0 when none.
inline int PhotoNumber(const SeenRequest& r) {
  const size_t at = r.text.find("Taken: 2021-03-");
  return at == std::string::npos ? 0 : std::stoi(r.text.substr(at + 15, 2));
}

class AnnotateTest : public CatalogTest {
 protected:
  // `count` photos photo1.jpg..; photo N shows faces of identities {1, 2} (N odd) or {3} (even):
  // persons Amy (1), Bob (2), and an unnamed one (3).
  void MakeLibrary(int count) {
    const std::string jpeg = ReadFileBytes(BbtDir() / "bbt2.jpg");
    std::vector<int64_t> amy, bob, other;
    for (int n = 1; n <= count; ++n) {
      const auto path = dir_.path() / "photos" / ("photo" + std::to_string(n) + ".jpg");
      std::filesystem::create_directories(path.parent_path());
      const std::string bytes =
          JpegWithExif(jpeg, "2021:03:" + std::string(n < 10 ? "0" : "") + std::to_string(n) + " 10:00:00",
                       n == 1 ? std::optional(std::make_pair(48.8584, 2.2945)) : std::nullopt);
      std::ofstream(path, std::ios::binary) << bytes;
      PhotoInput in;
      in.path = path.string();
      in.stat = *library::StatFile(path);
      in.content_hash = *HashFile(path);
      in.width = 675;
      in.height = 469;
      std::vector<Face> faces;
      const std::vector<int> ids = n % 2 ? std::vector<int>{2, 1} : std::vector<int>{3};
      for (size_t i = 0; i < ids.size(); ++i)
        faces.push_back(MakeFace(MakeEmbedding(ids[i], n), 300.f - 250.f * i));
      auto added = catalog().AddPhotoResult(in, faces);
      ASSERT_TRUE(added.ok()) << added.status().ToString();
      photo_ids_.push_back(added->photo_id);
      paths_.push_back(path);
      const auto face_ids = FaceIds(added->photo_id);
      for (size_t i = 0; i < ids.size(); ++i)
        (ids[i] == 1 ? amy : ids[i] == 2 ? bob : other).push_back(face_ids[i]);
    }
    std::vector<std::vector<int64_t>> groups = {amy, bob};
    if (!other.empty()) groups.push_back(other);
    const auto persons = MakePersons(groups);
    amy_ = persons[0];
    bob_ = persons[1];
    ASSERT_TRUE(catalog().NamePerson(amy_, "Amy").ok());
    ASSERT_TRUE(catalog().NamePerson(bob_, "Bob").ok());
  }

  AnnotateOptions Options(const OpenAiTestServer& server) {
    AnnotateOptions o;
    o.endpoint = server.url();
    o.model = "fixture-model";
    o.backoff_s = 0.05;
    o.timeout_s = 10;
    return o;
  }

  AnnotateSummary Run(const OpenAiTestServer& server, AnnotateOptions o = {}, std::vector<int64_t> ids = {}) {
    if (o.endpoint.empty()) o = Options(server);
    auto s = AnnotatePhotos(catalog(), ids, o);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : AnnotateSummary{};
  }

  std::map<int, std::string> Errors(const AnnotateSummary& s) {
    std::map<int, std::string> out;
    for (const auto& f : s.failures)
      for (size_t i = 0; i < photo_ids_.size(); ++i)
        if (photo_ids_[i] == f.photo_id) out[static_cast<int>(i) + 1] = f.error;
    return out;
  }

  std::vector<int64_t> photo_ids_;
  std::vector<std::filesystem::path> paths_;
  int64_t amy_ = 0, bob_ = 0;
};

// A server that captions photo N "Photo N" with tags {"fixture", "nN"}.
inline OpenAiTestServer::Handler CaptionByNumber() {
  return [](const SeenRequest& r) {
    // Appended piece by piece: GCC 12 warns (-Wrestrict, falsely) about chained + on temporaries.
    const std::string n = std::to_string(PhotoNumber(r));
    std::string caption = "Photo ";
    caption.append(n).append(" at the seaside");
    std::string tag = "n";
    tag.append(n);
    return OpenAiTestServer::Annotation(caption, {"fixture", tag});
  };
}

}  // namespace facetag::testing
