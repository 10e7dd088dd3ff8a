// Names never leave their faces: name people, add photos, re-group, rename a file, and every
// name still sits on the same faces.
#include "cli/library_fixture.h"

namespace facetag::testing {
namespace {

// The faces (by photo file name and detection ordinal) of every named person, by name.
std::map<std::string, std::set<std::string>> FacesByName(
    const nlohmann::json& exported, const std::map<std::string, std::string>& renamed = {}) {
  std::map<int64_t, std::string> name_of;
  for (const auto& p : exported["people"]) {
    if (!p["name"].is_null()) name_of[p["id"]] = p["name"];
  }
  std::map<std::string, std::set<std::string>> out;
  for (const auto& photo : exported["photos"]) {
    std::string file = fs::path(photo["path"].get<std::string>()).filename().string();
    if (renamed.count(file)) file = renamed.at(file);
    for (size_t i = 0; i < photo["faces"].size(); ++i) {
      const auto& person = photo["faces"][i]["person"];
      if (!person.is_null() && name_of.count(person))
        out[name_of[person]].insert(file + "#" + std::to_string(i));
    }
  }
  return out;
}

class NamesSurvive : public LibraryTest {};

TEST_F(NamesSurvive, AddingPhotosReclusteringAndRenamingAFileKeepEveryNameOnItsFaces) {
  // Photos 0-4 show amy, howard, penny and sheldon; photos 5-9 the other four.
  const auto first = MakeComposites(lib(), 0, 7);
  Index();
  const auto ids = NameClustersByComposites(first);
  ASSERT_EQ(ids.size(), 8u);
  const auto named = FacesByName(Export());
  ASSERT_EQ(named.size(), 8u);

  // More photos: the rest of the composites (the same people) and the bbt group photos.
  MakeComposites(lib(), 7, 3);
  for (int i = 1; i <= 5; ++i)
    fs::copy_file(BbtDir() / ("bbt" + std::to_string(i) + ".jpg"),
                  lib() / ("bbt" + std::to_string(i) + ".jpg"));
  const nlohmann::json added = Index();
  EXPECT_EQ(added["added"], 8);
  const auto after_adding = FacesByName(Export());
  for (const auto& [name, faces] : named) {
    for (const auto& f : faces)
      EXPECT_TRUE(after_adding.at(name).count(f)) << name << " lost " << f << " on adding";
  }
  // New faces of the named people joined them: the new composites' faces found their people.
  for (const auto& [name, faces] : after_adding) EXPECT_GE(faces.size(), named.at(name).size()) << name;

  ASSERT_EQ(Facetag("group").exit_code, 0);
  const auto after_regroup = FacesByName(Export());
  EXPECT_EQ(after_regroup, after_adding) << "a full re-group moved named faces";

  fs::rename(lib() / "composite0.jpg", lib() / "renamed.jpg");
  const nlohmann::json moved = Index();
  EXPECT_EQ(moved["known_content"], 1);
  const auto after_rename = FacesByName(Export(), {{"renamed.jpg", "composite0.jpg"}});
  EXPECT_EQ(after_rename, after_regroup) << "renaming a file moved names";

  // The ids too: each name is still on the person it was given to.
  const ProcessResult people = Facetag("people", {"--json"});
  ASSERT_EQ(people.exit_code, 0);
  for (const auto& p : ParseJson(people.out)) {
    if (!p["name"].is_null()) {
      EXPECT_EQ(p["id"], ids.at(p["name"].get<std::string>())) << p.dump();
    }
  }
}

}  // namespace
}  // namespace facetag::testing
