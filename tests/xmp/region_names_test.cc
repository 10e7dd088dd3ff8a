// Names from MWG regions onto detected faces (ApplyRegionNames), and a sidecar round trip
// through the library (UpdateSidecar, ReadNamedRegions, SidecarPath).
#include <gtest/gtest.h>

#include <fstream>

#include "catalog/catalog_fixture.h"
#include "facetag/xmp.h"

namespace facetag::testing {
namespace {

namespace fs = std::filesystem;

// A region drawn by hand around `face`: 20% larger, same centre.
NamedRegion Around(const Box& face, const std::string& name) {
  return {name,
          {face.x - face.width * 0.1f, face.y - face.height * 0.1f, face.width * 1.2f, face.height * 1.2f}};
}

class RegionNames : public CatalogTest {};

TEST_F(RegionNames, EachRegionNamesTheFaceItOverlapsOnceAndNeverGuessesBetweenNamesakes) {
  const int64_t photo = AddPhoto("/p/a.jpg", "a", {1, 2, 3});
  auto faces = catalog().FacesOfPhoto(photo);
  ASSERT_TRUE(faces.ok());
  ASSERT_EQ(faces->size(), 3u);
  const auto ada = catalog().CreatePerson("Ada");
  ASSERT_TRUE(catalog().CreatePerson("Bob").ok());
  ASSERT_TRUE(catalog().CreatePerson("Bob").ok());

  const std::vector<NamedRegion> regions = {
      Around((*faces)[0].face.box, "ada"),    // an existing person, case ignored
      Around((*faces)[1].face.box, "Bob"),    // two people have that name
      Around((*faces)[2].face.box, "Cleo"),   // a new person
      Around((*faces)[2].face.box, "Cleo2"),  // the same face again: it already has a name
      {"Nobody", {600, 400, 30, 30}},         // on no face
  };
  auto outcome = ApplyRegionNames(catalog(), photo, regions);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(outcome->named_faces, 2);
  EXPECT_EQ(outcome->created_people, 1);
  EXPECT_EQ(outcome->ambiguous_names, 1);
  EXPECT_EQ(outcome->unmatched_regions, 2);

  auto after = catalog().FacesOfPhoto(photo);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ((*after)[0].person_id, *ada);
  EXPECT_EQ((*after)[0].assignment, Assignment::kUser);
  EXPECT_EQ((*after)[1].person_id, 0);
  const auto cleo = catalog().FindPersonsByName("Cleo");
  ASSERT_TRUE(cleo.ok());
  ASSERT_EQ(cleo->size(), 1u);
  EXPECT_EQ((*after)[2].person_id, cleo->front().id);
  EXPECT_TRUE(catalog().FindPersonsByName("Nobody")->empty());
  EXPECT_TRUE(catalog().FindPersonsByName("Cleo2")->empty());
}

TEST(XmpSidecar, WhatIsWrittenIsReadBackAndARenamedFaceReplacesItsRegion) {
  TempDir dir;
  const fs::path photo = dir.path() / "a.jpg";
  std::ofstream(photo) << "not read";
  EXPECT_EQ(SidecarPath(photo), dir.path() / "a.jpg.xmp");
  // Only exiftool's a.xmp exists: that one is used.
  std::ofstream(dir.path() / "a.xmp") << "";
  EXPECT_EQ(SidecarPath(photo), dir.path() / "a.xmp");
  fs::remove(dir.path() / "a.xmp");

  SidecarUpdate update;
  update.width = 640;
  update.height = 480;
  update.regions = {{"Ada", {100, 50, 80, 100}}, {"Zoë", {300, 200, 60, 90}}};
  auto written = UpdateSidecar(photo, update);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_TRUE(written->created);
  EXPECT_EQ(written->added_keywords, 2);
  auto read = ReadNamedRegions(photo, 640, 480);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_EQ(read->size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ((*read)[i].name, update.regions[i].name);
    EXPECT_NEAR((*read)[i].box.x, update.regions[i].box.x, 0.01);
    EXPECT_NEAR((*read)[i].box.y, update.regions[i].box.y, 0.01);
    EXPECT_NEAR((*read)[i].box.width, update.regions[i].box.width, 0.01);
    EXPECT_NEAR((*read)[i].box.height, update.regions[i].box.height, 0.01);
  }
  // Written again after a rename: the region on that face is replaced, not doubled.
  update.regions = {{"Ada L.", {102, 52, 78, 98}}};
  written = UpdateSidecar(photo, update);
  ASSERT_TRUE(written.ok());
  EXPECT_FALSE(written->created);
  EXPECT_EQ(written->kept_regions, 1);
  read = ReadNamedRegions(photo, 640, 480);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->size(), 2u);
  EXPECT_EQ((*read)[0].name, "Zoë");
  EXPECT_EQ((*read)[1].name, "Ada L.");

  // A sidecar that is not XMP is reported and left alone.
  const fs::path broken = dir.path() / "b.jpg";
  std::ofstream(broken) << "x";
  std::ofstream(dir.path() / "b.jpg.xmp") << "<x:xmpmeta><rdf:RDF><broken";
  EXPECT_EQ(UpdateSidecar(broken, update).status().code(), ErrorCode::kCorrupt);
  std::ifstream in(dir.path() / "b.jpg.xmp");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "<x:xmpmeta><rdf:RDF><broken");
}

}  // namespace
}  // namespace facetag::testing
