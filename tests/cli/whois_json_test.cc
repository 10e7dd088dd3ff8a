// whois --json: each named face carries the id of the catalogued face it matched.
#include "cli/library_fixture.h"

namespace facetag::testing {
namespace {

class WhoisJson : public LibraryTest {};

TEST_F(WhoisJson, EachMatchedFaceCarriesTheIdOfTheCatalogFaceItMatched) {
  const auto composites = MakeComposites(lib());
  Index();
  const auto ids = NameClustersByComposites(composites);
  ASSERT_EQ(ids.size(), 8u);

  // The same faces as composite 0, in a photo the catalog does not have.
  const fs::path probe = dir_.path() / "probe" / "probe.jpg";
  CopyWithBytesAppended(composites[0].file, probe);
  const ProcessResult r = Facetag("whois", {"--json", probe.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json out = LibraryTest::ParseJson(r.out);
  ASSERT_EQ(out["faces"].size(), 4u) << r.out;

  std::map<int64_t, ExportedFace> catalog_faces;
  for (const auto& [path, faces] : FacesByPath()) {
    for (const auto& f : faces) catalog_faces[f.id] = f;
  }
  int matched = 0;
  for (const auto& f : out["faces"]) {
    if (f["person"].is_null()) {
      EXPECT_TRUE(f["face"].is_null()) << f.dump();
      continue;
    }
    ++matched;
    ASSERT_TRUE(f["face"].is_number_integer()) << f.dump();
    const auto it = catalog_faces.find(f["face"].get<int64_t>());
    ASSERT_NE(it, catalog_faces.end()) << f.dump();
    EXPECT_EQ(it->second.person, f["person"].get<int64_t>()) << f.dump();
    // The nearest catalogued face of the same content is that very face of composite 0.
    for (int k = 0; k < 4; ++k) EXPECT_NEAR(it->second.box[k], f["box"][k].get<double>(), 1.0) << f.dump();
  }
  EXPECT_GE(matched, 3) << r.out;
}

}  // namespace
}  // namespace facetag::testing
