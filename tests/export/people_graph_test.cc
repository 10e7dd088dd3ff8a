// The catalog read as a graph: counts, appearances and pairs that agree with the catalog's own
// queries (ListPersons, Together).
#include "export/graph_fixture.h"

namespace facetag::testing {
namespace {

using PeopleGraphRead = GraphTest;

TEST_F(PeopleGraphRead, NodesCarryTheCatalogsIdsAndCounts) {
  const PeopleGraph g = Graph();
  ASSERT_EQ(g.persons.size(), 3u);
  EXPECT_EQ(g.persons[0].id, amy_);
  EXPECT_EQ(g.persons[0].name, kAwkwardName);
  EXPECT_EQ(g.persons[0].faces, 4);
  EXPECT_EQ(g.persons[0].photos, 4);
  EXPECT_EQ(g.persons[2].name, "");
  ASSERT_EQ(g.photos.size(), 4u);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(g.photos[i].id, static_cast<int64_t>(i + 1));
  EXPECT_EQ(g.photos[1].path, "/lib/b, \"best\"\n.jpg");
  EXPECT_EQ(g.photos[0].status, "ok");
  ASSERT_EQ(g.faces.size(), 10u);
  EXPECT_EQ(g.faces[9].person_id, 0);
  EXPECT_EQ(g.faces[9].photo_id, 4);
  EXPECT_FLOAT_EQ(g.faces[1].box.x, 160.f);
  EXPECT_FLOAT_EQ(g.faces[1].score, 0.9f);
  // The counts are ListPersons' counts.
  auto listed = catalog().ListPersons(true);
  ASSERT_TRUE(listed.ok());
  for (const auto& s : *listed) {
    const auto it =
        std::find_if(g.persons.begin(), g.persons.end(), [&](auto& p) { return p.id == s.person.id; });
    ASSERT_NE(it, g.persons.end());
    EXPECT_EQ(it->faces, s.face_count);
    EXPECT_EQ(it->photos, s.photo_count);
  }
}

TEST_F(PeopleGraphRead, PairsAreTheTogetherQueryOncePerUnorderedPair) {
  const PeopleGraph g = Graph();
  ASSERT_EQ(g.pairs.size(), 3u);
  EXPECT_EQ(g.pairs[0].a, amy_);
  EXPECT_EQ(g.pairs[0].b, bob_);
  EXPECT_EQ(g.pairs[0].photos, 3);
  for (int64_t person : {amy_, bob_, cat_}) {
    auto together = catalog().Together(person);
    ASSERT_TRUE(together.ok());
    for (const Companion& c : *together) {
      const int64_t a = std::min(person, c.person.id), b = std::max(person, c.person.id);
      const auto it =
          std::find_if(g.pairs.begin(), g.pairs.end(), [&](auto& p) { return p.a == a && p.b == b; });
      ASSERT_NE(it, g.pairs.end()) << a << "-" << b;
      EXPECT_EQ(it->photos, c.shared_photos);
    }
  }
}

TEST_F(PeopleGraphRead, AppearancesArePersonPhotoPairs) {
  const PeopleGraph g = Graph();
  std::vector<std::pair<int64_t, int64_t>> got;
  for (const auto& a : g.appearances) {
    got.push_back({a.person_id, a.photo_id});
    EXPECT_EQ(a.faces, 1);
  }
  EXPECT_EQ(got, (std::vector<std::pair<int64_t, int64_t>>{
                     {1, 1}, {1, 2}, {1, 3}, {1, 4}, {2, 1}, {2, 2}, {2, 4}, {3, 1}, {3, 3}}));
}

TEST_F(PeopleGraphRead, AnEmptyCatalogIsAnEmptyGraph) {
  TempDir dir;
  auto empty = Catalog::Open(dir.path() / "empty.db");
  ASSERT_TRUE(empty.ok());
  auto g = ReadPeopleGraph(**empty);
  ASSERT_TRUE(g.ok());
  EXPECT_TRUE(g->persons.empty() && g->photos.empty() && g->faces.empty() && g->pairs.empty());
}

}  // namespace
}  // namespace facetag::testing
