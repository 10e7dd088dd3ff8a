// facetag xmp and names from XMP at index time, checked with an independent reader and writer of
// MWG regions: exiftool (Debian libimage-exiftool-perl).
#include <sstream>

#include "cli/library_fixture.h"
#include "facetag/catalog.h"

namespace facetag::testing {
namespace {

ProcessResult Exiftool(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/exiftool"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv);
}

// exiftool -j -struct on one file: its tags as a JSON object.
nlohmann::json ExiftoolTags(const fs::path& file, const std::vector<std::string>& tags) {
  std::vector<std::string> args = {"-j", "-struct"};
  for (const auto& t : tags) args.push_back("-" + t);
  args.push_back(file.string());
  const ProcessResult r = Exiftool(args);
  EXPECT_EQ(r.exit_code, 0) << "exiftool is needed (scripts/setup.sh --tests): " << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << r.out;
  return j.is_array() && !j.empty() ? j[0] : nlohmann::json::object();
}

std::string Num(double v) {
  std::ostringstream s;
  s.precision(6);
  s << std::fixed << v;
  return s.str();
}

// An exiftool RegionList item for a box (pixels of a width x height photo), grown by `grow`
// around its centre as a hand-drawn region would be.
std::string RegionItem(const std::vector<double>& box, double width, double height, const std::string& name,
                       const std::string& type = "Face", double grow = 1.2) {
  const double cx = (box[0] + box[2] / 2) / width, cy = (box[1] + box[3] / 2) / height;
  return "{Area={X=" + Num(cx) + ",Y=" + Num(cy) + ",W=" + Num(box[2] * grow / width) +
         ",H=" + Num(box[3] * grow / height) + ",Unit=normalized},Name=" + name + ",Type=" + type + "}";
}

std::string RegionInfo(const std::vector<std::string>& items) {
  std::string list;
  for (const auto& i : items) list += (list.empty() ? "" : ",") + i;
  return "-XMP-mwg-rs:RegionInfo={AppliedToDimensions={W=700,H=700,Unit=pixel},RegionList=[" + list + "]}";
}

std::vector<std::string> Strings(const nlohmann::json& j) {
  if (j.is_string()) return {j.get<std::string>()};
  if (j.is_array()) return j.get<std::vector<std::string>>();
  return {};
}

class XmpCommand : public LibraryTest {
 protected:
  void SetUp() override {
    LibraryTest::SetUp();
    composites_ = MakeComposites(lib());
    Index();
    ids_ = NameClustersByComposites(composites_);
    ASSERT_EQ(ids_.size(), 8u);
    faces_ = FacesByPath();
  }

  static fs::path Sidecar(const fs::path& photo) { return fs::path(photo.string() + ".xmp"); }

  std::vector<Composite> composites_;
  std::map<std::string, int64_t> ids_;
  std::map<std::string, std::vector<ExportedFace>> faces_;
};

TEST_F(XmpCommand, WrittenRegionsAreReadBackByExiftoolWithTheRightNamesAndBoxes) {
  const std::string photo_bytes = ReadBytes(composites_[0].file);
  const ProcessResult dry = Facetag("xmp");
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("10 sidecars with 40 named faces to write (dry run"), std::string::npos) << dry.out;
  for (const Composite& c : composites_) EXPECT_FALSE(fs::exists(Sidecar(c.file))) << "a dry run wrote";

  const ProcessResult r = Facetag("xmp", {"--write", "--digikam"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("10 sidecars written (10 new), 40 named faces"), std::string::npos) << r.out;
  EXPECT_EQ(ReadBytes(composites_[0].file), photo_bytes) << "the photo itself must never be rewritten";

  for (const Composite& c : composites_) {
    const nlohmann::json tags = ExiftoolTags(Sidecar(c.file), {"RegionInfo", "Subject", "TagsList"});
    const nlohmann::json& info = tags["RegionInfo"];
    EXPECT_EQ(info["AppliedToDimensions"]["W"], 700) << tags.dump();
    EXPECT_EQ(info["AppliedToDimensions"]["H"], 700) << tags.dump();
    ASSERT_EQ(info["RegionList"].size(), 4u) << tags.dump();
    const auto& detected = faces_.at(c.file.string());
    std::set<std::string> names;
    for (const auto& region : info["RegionList"]) {
      EXPECT_EQ(region["Type"], "Face");
      const auto& area = region["Area"];
      EXPECT_EQ(area["Unit"], "normalized");
      const double w = area["W"].get<double>() * 700, h = area["H"].get<double>() * 700;
      const nlohmann::json box = {area["X"].get<double>() * 700 - w / 2,
                                  area["Y"].get<double>() * 700 - h / 2, w, h};
      const std::string name = region["Name"];
      EXPECT_EQ(name, QuadrantPerson(c, box)) << region.dump();
      names.insert(name);
      // The very box facetag detected, centre-based and normalised.
      bool same_box = false;
      for (const auto& f : detected) {
        bool close = true;
        for (int k = 0; k < 4; ++k) close = close && std::abs(f.box[k] - box[k].get<double>()) < 0.5;
        same_box = same_box || (close && f.person == ids_.at(name));
      }
      EXPECT_TRUE(same_box) << region.dump();
    }
    EXPECT_EQ(names, std::set<std::string>(c.quadrant_person.begin(), c.quadrant_person.end()));
    const auto subject = Strings(tags["Subject"]);
    EXPECT_EQ(std::set<std::string>(subject.begin(), subject.end()), names) << tags.dump();
    for (const auto& n : names) {
      const auto list = Strings(tags["TagsList"]);
      EXPECT_NE(std::find(list.begin(), list.end(), "People/" + n), list.end()) << tags.dump();
    }
  }
}

TEST_F(XmpCommand, AnExistingSidecarKeepsItsOtherFieldsAndRegions) {
  const Composite& c = composites_[0];
  const auto& detected = faces_.at(c.file.string());
  ASSERT_EQ(detected.size(), 4u);
  const auto amy = std::find_if(detected.begin(), detected.end(),
                                [&](const ExportedFace& f) { return f.person == ids_["amy"]; });
  ASSERT_NE(amy, detected.end());
  // Another tool's sidecar: a title, a rating, a keyword, a pet region and a face region (with a
  // wrong name) on amy's face.
  const ProcessResult made =
      Exiftool({"-q", "-XMP-dc:Title=Summer", "-XMP-xmp:Rating=4", "-XMP-dc:Subject=holiday",
                RegionInfo({RegionItem({600, 600, 40, 40}, 700, 700, "Rex", "Pet"),
                            RegionItem(amy->box, 700, 700, "Wrong Name")}),
                Sidecar(c.file).string()});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  // exiftool's own naming (photo.xmp) on another photo: that file is the one updated.
  const fs::path short_name = fs::path(composites_[1].file).replace_extension(".xmp");
  ASSERT_EQ(Exiftool({"-q", "-XMP-dc:Title=Winter", short_name.string()}).exit_code, 0);

  // A hidden person's name is never written.
  ASSERT_EQ(Facetag("hide", {"howard"}).exit_code, 0);
  const ProcessResult r =
      Facetag("xmp", {"--write", c.file.string(), composites_[1].file.string(), "--person", "amy"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  const nlohmann::json tags = ExiftoolTags(Sidecar(c.file), {"Title", "Rating", "Subject", "RegionInfo"});
  EXPECT_EQ(tags["Title"], "Summer") << tags.dump();
  EXPECT_EQ(tags["Rating"], 4) << tags.dump();
  const auto subject = Strings(tags["Subject"]);
  EXPECT_NE(std::find(subject.begin(), subject.end(), "holiday"), subject.end()) << tags.dump();
  EXPECT_EQ(subject.size(), 4u) << tags.dump();
  std::multiset<std::string> regions;
  for (const auto& region : tags["RegionInfo"]["RegionList"])
    regions.insert(region["Name"].get<std::string>());
  std::multiset<std::string> expected(c.quadrant_person.begin(), c.quadrant_person.end());
  expected.erase("howard");
  expected.insert("Rex");
  EXPECT_EQ(regions, expected) << tags.dump();

  const nlohmann::json winter = ExiftoolTags(short_name, {"Title", "RegionInfo"});
  EXPECT_EQ(winter["Title"], "Winter") << winter.dump();
  EXPECT_EQ(winter["RegionInfo"]["RegionList"].size(), 3u) << winter.dump();
  EXPECT_FALSE(fs::exists(Sidecar(composites_[1].file)));
  // Only the photos asked for: amy is not in composites 5-9, and 2-4 were not named.
  for (int i = 2; i < 10; ++i) EXPECT_FALSE(fs::exists(Sidecar(composites_[i].file))) << i;
}

TEST_F(XmpCommand, IndexNamesTheFacesOfMwgRegionsAsCorrections) {
  // Two new photos (same faces as composites 0 and 5, other bytes): one with regions embedded,
  // one with a sidecar, and a region that lies on no face.
  const fs::path lib2 = dir_.path() / "tagged";
  const fs::path embedded = lib2 / "embedded.jpg", beside = lib2 / "beside.jpg";
  CopyWithBytesAppended(composites_[0].file, embedded);
  CopyWithBytesAppended(composites_[5].file, beside);
  const auto& faces0 = faces_.at(composites_[0].file.string());
  const auto& faces5 = faces_.at(composites_[5].file.string());
  ASSERT_EQ(Exiftool({"-q", "-overwrite_original",
                      RegionInfo({RegionItem(faces0[1].box, 700, 700, "Grace Hopper"),
                                  RegionItem({5, 5, 30, 30}, 700, 700, "Ghost")}),
                      embedded.string()})
                .exit_code,
            0);
  ASSERT_EQ(Exiftool({"-q", RegionInfo({RegionItem(faces5[2].box, 700, 700, "Ada Lovelace", "Face", 1.4)}),
                      Sidecar(beside).string()})
                .exit_code,
            0);

  const fs::path db2 = dir_.path() / "tagged.db";
  const ProcessResult skipped = RunProcess({FACETAG_CLI_PATH, "index", "--json", "--no-xmp-names", "--db",
                                            (dir_.path() / "plain.db").string(), lib2.string()});
  ASSERT_EQ(skipped.exit_code, 0) << skipped.err;
  EXPECT_EQ(ParseJson(skipped.out)["xmp_named_faces"], 0);

  const ProcessResult r =
      RunProcess({FACETAG_CLI_PATH, "index", "--json", "--db", db2.string(), lib2.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ParseJson(r.out)["xmp_named_faces"], 2) << r.out;

  auto catalog = Catalog::Open(db2);
  ASSERT_TRUE(catalog.ok());
  for (const std::string name : {"Grace Hopper", "Ada Lovelace", "Ghost"}) {
    auto people = (*catalog)->FindPersonsByName(name);
    ASSERT_TRUE(people.ok());
    if (name == "Ghost") {
      EXPECT_TRUE(people->empty()) << "a region on no face names nobody";
      continue;
    }
    ASSERT_EQ(people->size(), 1u) << name;
  }
  auto exported = (*catalog)->Export();
  ASSERT_TRUE(exported.ok());
  std::map<int64_t, std::string> name_of;
  for (const auto& p : exported->people) name_of[p.id] = p.name;
  int checked = 0;
  for (const auto& photo : exported->photos) {
    const bool is_embedded = photo.photo.path == embedded.string();
    const ExportedFace& want = is_embedded ? faces0[1] : faces5[2];
    for (const auto& f : photo.faces) {
      const bool same = std::abs(f.box.x - want.box[0]) < 0.5 && std::abs(f.box.y - want.box[1]) < 0.5;
      if (!same) {
        EXPECT_NE(name_of[f.person_id], is_embedded ? "Grace Hopper" : "Ada Lovelace");
        continue;
      }
      ++checked;
      EXPECT_EQ(name_of[f.person_id], is_embedded ? "Grace Hopper" : "Ada Lovelace");
      auto face = (*catalog)->GetFace(f.id);
      ASSERT_TRUE(face.ok());
      EXPECT_EQ(face->assignment, Assignment::kUser)
          << "a name from XMP is a correction the user can see and undo";
    }
  }
  EXPECT_EQ(checked, 2);
}

}  // namespace
}  // namespace facetag::testing
