// A small catalog with a known graph: Amy (named with a comma and quotes), Bob and Cat across
// four photos (one path with a comma, quotes and a line break: names cannot hold control
// characters, paths can), plus one face that belongs to nobody.
#pragma once

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "catalog/catalog_fixture.h"
#include "facetag/graph_export.h"

namespace facetag::testing {

inline const std::string kAwkwardName = "Amy \"Farrah\", Fowler PhD";

class GraphTest : public CatalogTest {
 protected:
  void SetUp() override {
    CatalogTest::SetUp();
    // Photo ids 1..4, face ids in detection order: a.jpg 1,2,3; b.jpg 4,5; c.jpg 6,7; d.jpg 8,9,10.
    AddPhoto("/lib/a.jpg", "a", {1, 2, 3});
    AddPhoto("/lib/b, \"best\"\n.jpg", "b", {1, 2});
    AddPhoto("/lib/c.jpg", "c", {1, 3});
    AddPhoto("/lib/d.jpg", "d", {2, 1, 4});
    // Persons 1 (Amy), 2 (Bob), 3 (Cat); face 10 (identity 4) stays nobody's.
    const auto ids = MakePersons({{1, 4, 6, 9}, {2, 5, 8}, {3, 7}});
    amy_ = ids[0], bob_ = ids[1], cat_ = ids[2];
    ASSERT_TRUE(catalog().NamePerson(amy_, kAwkwardName).ok());
    ASSERT_TRUE(catalog().NamePerson(bob_, "Bob").ok());
  }

  PeopleGraph Graph() {
    auto g = ReadPeopleGraph(catalog());
    EXPECT_TRUE(g.ok()) << g.status().ToString();
    return g.ok() ? *g : PeopleGraph{};
  }

  int64_t amy_ = 0, bob_ = 0, cat_ = 0;
};

inline std::string ReadText(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

inline void WriteBytesTo(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f << bytes;
}

// RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks.
inline std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(field), field.clear();
    } else if (c == '\n') {
      row.push_back(field), field.clear();
      rows.push_back(row), row.clear();
    } else {
      field += c;
    }
  }
  return rows;
}

}  // namespace facetag::testing
