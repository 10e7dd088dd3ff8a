// `facetag whois` and /recognize name faces by one rule (facetag/known_faces.h): on the same
// catalog and photos they give the same names, a tie between two people included.
#include <map>

#include "service/service_fixture.h"
#include "support/run_process.h"

namespace facetag::testing {
namespace {

class NamingRule : public ServiceFixture {
 protected:
  // `extra` bytes after the image's end make other file content (a photo of its own in the
  // catalog) with the same pixels.
  int64_t Register(const std::string& name, const std::string& crop, const std::string& extra = "") {
    auto created = PostJson("/api/v1/persons", {{"name", name}});
    EXPECT_EQ(created.status, 201) << created.body;
    const int64_t id = Json(created)["id"];
    auto registered =
        PostImage("/api/v1/persons/" + std::to_string(id) + "/faces", ReadBytes(Bbt() / crop) + extra);
    EXPECT_EQ(registered.status, 201) << registered.body;
    return id;
  }
  // The name of the largest face, "" for nobody.
  static std::string NameOf(const nlohmann::json& faces) {
    std::string name;
    double largest = -1;
    for (const auto& f : faces) {
      const double area = f["box"][2].get<double>() * f["box"][3].get<double>();
      if (area <= largest) continue;
      largest = area;
      // /recognize: "person": {id, name} or null; whois: "person": id, "name": name or null.
      const nlohmann::json n = f["person"].is_object() ? f["person"].value("name", nlohmann::json())
                                                       : f.value("name", nlohmann::json());
      name = n.is_string() ? n.get<std::string>() : "";
    }
    return name;
  }
};

TEST_F(NamingRule, WhoisAndRecognizeGiveTheSameNamesATieIncluded) {
  options_.pipeline.engine.detector = DetectorKind::kSsd;  // whois's default detector
  ASSERT_TRUE(Start().ok());
  // Two people registered with the very same face: whoever looks like it is a tie.
  Register("Twin A", "amy/amy1.png");
  Register("Twin B", "amy/amy1.png", "twin");
  Register("Bernadette", "bernadette/bernadette1.png");
  Register("Howard", "howard/howard1.png");
  const std::vector<std::string> queries = {
      "amy/amy1.png",       "amy/amy2.png",        "bernadette/bernadette2.png", "bernadette/bernadette3.png",
      "howard/howard2.png", "leonard/leonard1.png"};
  std::map<std::string, std::string> served, whois;
  for (const auto& q : queries) {
    auto answer = PostImage("/api/v1/recognize", ReadBytes(Bbt() / q));
    ASSERT_EQ(answer.status, 200) << answer.body;
    served[q] = NameOf(Json(answer)["faces"]);
  }
  Stop();  // whois opens the catalog on its own
  for (const auto& q : queries) {
    auto r =
        RunProcess({FACETAG_CLI_PATH, "whois", "--json", "--db", options_.db.string(), (Bbt() / q).string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    whois[q] = NameOf(nlohmann::json::parse(r.out)["faces"]);
  }
  EXPECT_EQ(served, whois);
  EXPECT_EQ(served["amy/amy1.png"], "") << "a tie between the twins names neither";
  EXPECT_EQ(served["bernadette/bernadette2.png"], "Bernadette");
  EXPECT_EQ(served["leonard/leonard1.png"], "") << "nobody registered Leonard";
}

}  // namespace
}  // namespace facetag::testing
