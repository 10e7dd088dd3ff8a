// People found by `facetag index` on labelled photos it never saw: composites of the faces-bbt
// crops (8 people, 5 crops each, 4 people per photo), and `whois` on the bbt group photos
// against hand-made labels (tests/data/bbt-group-labels.json).
#include "cli/library_fixture.h"
#include "people/people_fixture.h"

namespace facetag::testing {
namespace {

float IoU(const std::vector<double>& a, const std::vector<double>& b) {
  Box x{float(a[0]), float(a[1]), float(a[2]), float(a[3])},
      y{float(b[0]), float(b[1]), float(b[2]), float(b[3])};
  return IntersectionOverUnion(x, y);
}

class PeopleQuality : public LibraryTest {
 protected:
  void SetUp() override {
    LibraryTest::SetUp();
    composites_ = MakeComposites(lib());
    const nlohmann::json s = Index();
    ASSERT_EQ(s["files"], 10);
    ASSERT_EQ(s["faces_added"], 40) << "every crop's face should be found in the composites";
  }
  std::vector<Composite> composites_;
};

TEST_F(PeopleQuality, DefaultSettingsGroupTheCompositesWithPairwiseF1AtLeast095) {
  const auto faces = FacesByPath();
  std::map<std::string, int64_t> label_id;
  std::vector<int64_t> truth, predicted;
  int photos_with_a_person_twice = 0;
  for (const Composite& c : composites_) {
    std::set<int64_t> seen;
    bool twice = false;
    for (const ExportedFace& f : faces.at(c.file.string())) {
      const std::string label = QuadrantPerson(c, f.box);
      label_id.emplace(label, static_cast<int64_t>(label_id.size()) + 1);
      truth.push_back(label_id[label]);
      predicted.push_back(f.person);
      if (f.person) twice |= !seen.insert(f.person).second;
    }
    photos_with_a_person_twice += twice;
  }
  ASSERT_EQ(truth.size(), 40u);
  ASSERT_EQ(label_id.size(), 8u);
  const PairScores s = PairwiseF1(truth, predicted);
  RecordProperty("f1", std::to_string(s.f1));
  std::printf("pairwise precision %.3f recall %.3f F1 %.3f\n", s.precision, s.recall, s.f1);
  EXPECT_GE(s.f1, 0.95) << "precision " << s.precision << " recall " << s.recall;
  EXPECT_EQ(photos_with_a_person_twice, 0);
}

TEST_F(PeopleQuality, WhoisNamesTheKnownFacesOfTheGroupPhotosAndNeverNamesOneWrongly) {
  NameClustersByComposites(composites_);
  const nlohmann::json labels =
      nlohmann::json::parse(ReadBytes(SourceDir() / "tests" / "data" / "bbt-group-labels.json"));
  int known = 0, right = 0, wrong = 0;
  for (const auto& photo : labels["photos"]) {
    const std::string file = photo["file"];
    const ProcessResult r = Facetag("whois", {"--json", (BbtDir() / file).string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json who = ParseJson(r.out);
    for (const auto& label : photo["faces"]) {
      const std::vector<double> box = label["box"].get<std::vector<double>>();
      const nlohmann::json* match = nullptr;
      for (const auto& f : who["faces"]) {
        if (IoU(box, f["box"].get<std::vector<double>>()) >= 0.5f) match = &f;
      }
      const std::string truth = label["person"].is_null() ? "" : label["person"].get<std::string>();
      const std::string named =
          match && !(*match)["name"].is_null() ? (*match)["name"].get<std::string>() : "";
      if (!truth.empty()) ++known;
      if (!truth.empty() && named == truth) ++right;
      if (!named.empty() && named != truth) {
        ++wrong;
        ADD_FAILURE() << file << " face at " << label["box"] << " (" << (truth.empty() ? "a stranger" : truth)
                      << ") named " << named;
      }
      std::printf("%s %-28s truth %-10s whois %s\n", file.c_str(), label["box"].dump().c_str(),
                  truth.empty() ? "-" : truth.c_str(), named.empty() ? "-" : named.c_str());
    }
  }
  ASSERT_EQ(known, 18);
  const double accuracy = double(right) / known;
  RecordProperty("whois_accuracy", std::to_string(accuracy));
  std::printf("whois: %d of %d known faces named right, %d named wrongly\n", right, known, wrong);
  EXPECT_GE(accuracy, 0.9);
  EXPECT_EQ(wrong, 0);
}

TEST_F(PeopleQuality, WhoisDoesNotAddThePhoto) {
  const auto before = Export();
  ASSERT_EQ(Facetag("whois", {(BbtDir() / "bbt3.jpg").string()}).exit_code, 0);
  EXPECT_EQ(Export(), before);
}

}  // namespace
}  // namespace facetag::testing
