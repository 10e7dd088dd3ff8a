// The web UI's view of facetag annotate: GET /api/v1/photos?text= finds photos by caption and
// tags (with person= too), and a photo's page carries its caption and tags.
#include "facetag/catalog.h"
#include "service/service_fixture.h"

namespace facetag::testing {
namespace {

class AnnotationsApi : public ServiceFixture {
 protected:
  // Three photos; 1 and 2 are annotated, Amy is in 1 and 3.
  void SetUp() override {
    ServiceFixture::SetUp();
    auto c = Catalog::Open(options_.db);
    ASSERT_TRUE(c.ok());
    Catalog& catalog = **c;
    for (int n = 1; n <= 3; ++n) {
      PhotoInput in;
      in.path = (dir_ / "photos" / ("p" + std::to_string(n) + ".jpg")).string();
      in.stat = {n, n};
      in.content_hash = HashBytes({reinterpret_cast<const uint8_t*>(&n), sizeof n});
      in.width = 640;
      in.height = 480;
      Face f;
      f.box = {10, 10, 50, 50};
      f.score = 0.9f;
      f.embedding.assign(128, static_cast<float>(n));
      auto added = catalog.AddPhotoResult(in, n == 2 ? std::vector<Face>{} : std::vector<Face>{f});
      ASSERT_TRUE(added.ok());
      ids_.push_back(added->photo_id);
    }
    auto amy = catalog.CreatePerson("Amy");
    ASSERT_TRUE(amy.ok());
    amy_ = *amy;
    for (int64_t photo : {ids_[0], ids_[2]})
      ASSERT_TRUE(catalog.MoveFace(catalog.FacesOfPhoto(photo)->at(0).id, amy_).ok());
    const std::vector<std::pair<std::string, std::vector<std::string>>> said = {
        {"Amy on a windy beach", {"beach", "wind"}}, {"A beach at dusk", {"beach", "dusk"}}};
    for (size_t i = 0; i < said.size(); ++i) {
      PhotoAnnotation a;
      a.photo_id = ids_[i];
      a.content_hash = catalog.GetPhoto(ids_[i])->content_hash;
      a.context_hash = "x";
      a.caption = said[i].first;
      a.tags = said[i].second;
      a.model = "llava";
      a.annotated_at = 1700000000;
      ASSERT_TRUE(catalog.SetAnnotation(a).ok());
    }
    c->reset();
    ASSERT_TRUE(Start().ok());
  }

  std::vector<int64_t> Ids(const std::string& query) {
    const auto a = Get("/api/v1/photos" + query);
    EXPECT_EQ(a.status, 200) << a.body;
    const nlohmann::json j = Json(a);
    std::vector<int64_t> out;
    for (const auto& p : j["photos"]) out.push_back(p["id"].get<int64_t>());
    std::sort(out.begin(), out.end());
    return out;
  }

  std::vector<int64_t> ids_;
  int64_t amy_ = 0;
};

TEST_F(AnnotationsApi, PhotosByText) {
  EXPECT_EQ(Ids("?text=beach"), (std::vector<int64_t>{ids_[0], ids_[1]}));
  EXPECT_EQ(Ids("?text=Dusk"), (std::vector<int64_t>{ids_[1]}));
  EXPECT_EQ(Ids("?text=beach%20wind"), (std::vector<int64_t>{ids_[0]}));
  EXPECT_EQ(Ids("?text=beach&person=" + std::to_string(amy_)), (std::vector<int64_t>{ids_[0]}));
  EXPECT_EQ(Ids("?text=volcano"), std::vector<int64_t>{});
  EXPECT_EQ(Ids(""), ids_);  // no text: every photo, as before
  EXPECT_EQ(Json(Get("/api/v1/photos?text=beach"))["total"], 2);
  const auto bad = Get("/api/v1/photos?text=%2C%2C");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Json(bad)["error"]["code"], "bad_request");
}

TEST_F(AnnotationsApi, APhotoCarriesItsCaptionAndTags) {
  const auto j = Json(Get("/api/v1/photos/" + std::to_string(ids_[0])));
  ASSERT_TRUE(j["annotation"].is_object()) << j.dump();
  EXPECT_EQ(j["annotation"]["caption"], "Amy on a windy beach");
  EXPECT_EQ(j["annotation"]["tags"], nlohmann::json::array({"beach", "wind"}));
  EXPECT_EQ(j["annotation"]["model"], "llava");
  EXPECT_EQ(j["annotation"]["annotated_at"], 1700000000);
  EXPECT_TRUE(Json(Get("/api/v1/photos/" + std::to_string(ids_[2])))["annotation"].is_null());
}

}  // namespace
}  // namespace facetag::testing
