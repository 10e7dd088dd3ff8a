// Finding people for the people page (Catalog::FindPersons): by part of the name, case and
// accents ignored, or by id; named, unnamed or all; by faces, name or most recently added.
#include "catalog/catalog_fixture.h"

namespace facetag::testing {
namespace {

// Zoë (3 faces, the oldest), raj (1 face), an unnamed group (2 faces, the newest) and Ana
// (1 face, hidden).
class PersonSearch : public CatalogTest {
 protected:
  void SetUp() override {
    CatalogTest::SetUp();
    const auto f1 = FaceIds(AddPhoto("/lib/1.jpg", "1", {1, 2, 4}));
    const auto f2 = FaceIds(AddPhoto("/lib/2.jpg", "2", {1}));
    const auto f3 = FaceIds(AddPhoto("/lib/3.jpg", "3", {1, 3}));
    const auto f4 = FaceIds(AddPhoto("/lib/4.jpg", "4", {3}));
    const auto ids = MakePersons({{f1[0], f2[0], f3[0]}, {f1[1]}, {f3[1], f4[0]}, {f1[2]}});
    zoe_ = ids[0], raj_ = ids[1], group_ = ids[2], ana_ = ids[3];
    ASSERT_TRUE(catalog().NamePerson(zoe_, "Zoë Ball").ok());
    ASSERT_TRUE(catalog().NamePerson(raj_, "raj").ok());
    ASSERT_TRUE(catalog().NamePerson(ana_, "Ana").ok());
    ASSERT_TRUE(catalog().HidePerson(ana_).ok());
  }

  static PersonQuery Query(std::string text, PersonSort sort = PersonSort::kFaces,
                           PersonFilter filter = PersonFilter::kAll, bool include_hidden = false) {
    PersonQuery q;
    q.text = std::move(text);
    q.sort = sort;
    q.filter = filter;
    q.include_hidden = include_hidden;
    return q;
  }

  std::vector<int64_t> Find(const PersonQuery& query) {
    auto found = catalog().FindPersons(query);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    std::vector<int64_t> ids;
    if (found.ok())
      for (const auto& p : *found) ids.push_back(p.person.id);
    return ids;
  }

  int64_t zoe_ = 0, raj_ = 0, group_ = 0, ana_ = 0;
};

TEST_F(PersonSearch, EveryVisiblePersonMostFacesFirstByDefault) {
  EXPECT_EQ(Find(Query("")), (std::vector<int64_t>{zoe_, group_, raj_}));
  EXPECT_EQ(Find(Query("", PersonSort::kFaces, PersonFilter::kAll, true)),
            (std::vector<int64_t>{zoe_, group_, raj_, ana_}));
}

TEST_F(PersonSearch, PartOfTheNameCaseAndAccentsIgnored) {
  EXPECT_EQ(Find(Query("zoe")), (std::vector<int64_t>{zoe_}));
  EXPECT_EQ(Find(Query("ZOË")), (std::vector<int64_t>{zoe_}));
  EXPECT_EQ(Find(Query("ball")), (std::vector<int64_t>{zoe_}));
  EXPECT_EQ(Find(Query("RA")), (std::vector<int64_t>{raj_}));
  EXPECT_EQ(Find(Query("a")), (std::vector<int64_t>{zoe_, raj_})) << "hidden Ana only when asked";
  EXPECT_TRUE(Find(Query("nobody")).empty());
}

TEST_F(PersonSearch, DigitsFindThePersonWithThatId) {
  EXPECT_EQ(Find(Query(std::to_string(group_))), (std::vector<int64_t>{group_}));
}

TEST_F(PersonSearch, NamedOrUnnamed) {
  EXPECT_EQ(Find(Query("", PersonSort::kFaces, PersonFilter::kNamed)), (std::vector<int64_t>{zoe_, raj_}));
  EXPECT_EQ(Find(Query("", PersonSort::kFaces, PersonFilter::kUnnamed)), (std::vector<int64_t>{group_}));
}

TEST_F(PersonSearch, ByNameAToZWithTheUnnamedLast) {
  EXPECT_EQ(Find(Query("", PersonSort::kName, PersonFilter::kAll, true)),
            (std::vector<int64_t>{ana_, raj_, zoe_, group_}));
}

TEST_F(PersonSearch, MostRecentlyAddedFaceFirst) {
  EXPECT_EQ(Find(Query("", PersonSort::kRecent)), (std::vector<int64_t>{group_, zoe_, raj_}));
}

TEST_F(PersonSearch, SortAndFilterWordsOfTheApi) {
  EXPECT_EQ(ParsePersonSort("recent"), PersonSort::kRecent);
  EXPECT_EQ(ParsePersonSort("Name"), std::nullopt);
  EXPECT_EQ(ParsePersonFilter("unnamed"), PersonFilter::kUnnamed);
  EXPECT_EQ(ParsePersonFilter(""), std::nullopt);
}

}  // namespace
}  // namespace facetag::testing
