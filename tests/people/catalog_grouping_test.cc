// Grouping a catalog end to end: people appear, names stay on their faces through new photos,
// re-groupings and renamed files, and the result does not depend on the order photos arrived in.
#include <algorithm>

#include "people/people_fixture.h"

namespace facetag::testing {
namespace {

class CatalogClustering : public CatalogTest {
 protected:
  // Photo n shows the given identities; its content (and so its hash) is derived from n.
  int64_t Photo(int n, const std::vector<int>& identities) {
    return AddPhoto("/lib/" + std::to_string(n) + ".jpg", "photo " + std::to_string(n), identities, n * 10);
  }

  GroupingReport Cluster(GroupingMode mode = GroupingMode::kFull) {
    auto report = GroupCatalog(catalog(), mode);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : GroupingReport{};
  }

  int64_t PersonOf(int64_t face) { return catalog().GetFace(face)->person_id; }

  // For each named person, the ids of its faces.
  std::map<std::string, std::vector<int64_t>> NamedFaces() {
    std::map<std::string, std::vector<int64_t>> out;
    auto exported = catalog().Export();
    EXPECT_TRUE(exported.ok());
    std::map<int64_t, std::string> names;
    for (const auto& p : exported->people) names[p.id] = p.name;
    for (const auto& photo : exported->photos) {
      for (const auto& f : photo.faces) {
        if (f.person_id && !names[f.person_id].empty()) out[names[f.person_id]].push_back(f.id);
      }
    }
    for (auto& [name, faces] : out) std::sort(faces.begin(), faces.end());
    return out;
  }
};

// A face the user drew (the detector missed it) is a face like the others for grouping: an
// unnamed one joins the person it looks like, a named one keeps its name, and a full re-group
// never drops either.
TEST_F(CatalogClustering, DrawnFacesAreGroupedAndKeptThroughAFullRegroup) {
  for (int n = 1; n <= 4; ++n) Photo(n, {1, 2});
  const int64_t crowd = Photo(5, {3});
  Face missed = MakeFace(MakeEmbedding(1, 77), 300);
  Face named = MakeFace(MakeEmbedding(4, 1), 450);
  const int64_t missed_id = *catalog().AddDrawnFace(crowd, missed);
  const int64_t named_id = *catalog().AddDrawnFace(crowd, named);
  ASSERT_TRUE(catalog().MoveFaceToNewPerson(named_id, "Dee").ok());
  Cluster(GroupingMode::kIncremental);
  Cluster(GroupingMode::kFull);
  const auto faces_of_one = catalog().FacesOfPhoto(1);
  ASSERT_TRUE(faces_of_one.ok());
  ASSERT_TRUE(catalog().GetFace(missed_id).ok());
  EXPECT_EQ(PersonOf(missed_id), PersonOf(faces_of_one->front().id));
  EXPECT_NE(PersonOf(missed_id), 0);
  EXPECT_EQ(NamedFaces()["Dee"], std::vector<int64_t>{named_id});
  EXPECT_TRUE(catalog().GetFace(named_id)->drawn);
}

TEST_F(CatalogClustering, GroupsFacesIntoPeopleWithNeverTwoPerPhoto) {
  for (int n = 1; n <= 8; ++n) Photo(n, {1, 2, 3});
  Photo(9, {4});
  const auto report = Cluster();
  EXPECT_EQ(report.stats.people, 3);
  EXPECT_EQ(report.changed_faces, 24);
  const auto people = catalog().ListPersons();
  ASSERT_TRUE(people.ok());
  ASSERT_EQ(people->size(), 3u);
  for (const auto& p : *people) EXPECT_EQ(p.face_count, 8);
  auto exported = catalog().Export();
  for (const auto& photo : exported->photos) {
    std::vector<int64_t> seen;
    for (const auto& f : photo.faces) {
      if (!f.person_id) continue;
      EXPECT_EQ(std::count(seen.begin(), seen.end(), f.person_id), 0) << photo.photo.path;
      seen.push_back(f.person_id);
    }
  }
  EXPECT_EQ(Cluster().changed_faces, 0) << "a second run changes nothing";
}

TEST_F(CatalogClustering, NamesSurviveNewPhotosReclusteringAndRenames) {
  for (int n = 1; n <= 6; ++n) Photo(n, {1, 2});
  Cluster();
  const auto first = FaceIds(1);
  ASSERT_TRUE(catalog().NamePerson(PersonOf(first[0]), "Amy").ok());
  ASSERT_TRUE(catalog().NamePerson(PersonOf(first[1]), "Bob").ok());
  const auto named = NamedFaces();
  ASSERT_EQ(named.at("Amy").size(), 6u);

  // New photos arrive (with Amy, Bob and a newcomer), then a full re-group, then a rename.
  for (int n = 7; n <= 10; ++n) Photo(n, {1, 2, 5});
  Cluster(GroupingMode::kIncremental);
  Cluster(GroupingMode::kFull);
  ASSERT_TRUE(catalog()
                  .RecordPath(catalog().GetPhoto(FaceIds(1).empty() ? 0 : 1)->id, "/lib/renamed-1.jpg",
                              MakePhoto("", "photo 1").stat)
                  .ok());
  ASSERT_EQ(*catalog().MarkMissing("/lib",
                                   [&] {
                                     std::vector<std::string> seen = {"/lib/renamed-1.jpg"};
                                     for (int n = 2; n <= 10; ++n)
                                       seen.push_back("/lib/" + std::to_string(n) + ".jpg");
                                     return seen;
                                   }()),
            0);
  Cluster(GroupingMode::kFull);

  const auto after = NamedFaces();
  for (const auto& [name, faces] : named) {
    for (int64_t f : faces) {
      EXPECT_TRUE(std::binary_search(after.at(name).begin(), after.at(name).end(), f))
          << name << " lost face " << f;
    }
  }
  EXPECT_EQ(after.at("Amy").size(), 10u) << "new faces of Amy joined her";
  EXPECT_EQ(after.at("Bob").size(), 10u);
}

TEST_F(CatalogClustering, UnnamedPeopleKeepTheirIdsThroughAFullRecluster) {
  for (int n = 1; n <= 5; ++n) Photo(n, {1, 2});
  Cluster();
  const int64_t amy = PersonOf(FaceIds(1)[0]);
  for (int n = 6; n <= 8; ++n) Photo(n, {1});
  Cluster(GroupingMode::kFull);
  EXPECT_EQ(PersonOf(FaceIds(1)[0]), amy);
  EXPECT_EQ(PersonOf(FaceIds(8)[0]), amy);
}

TEST_F(CatalogClustering, IncrementalModeOnlyPlacesNewFaces) {
  for (int n = 1; n <= 4; ++n) Photo(n, {1});
  Cluster();
  const int64_t amy = PersonOf(FaceIds(1)[0]);
  Photo(5, {1, 3});
  Photo(6, {3});
  const auto report = Cluster(GroupingMode::kIncremental);
  EXPECT_EQ(report.stats.free_faces, 3);
  EXPECT_EQ(PersonOf(FaceIds(5)[0]), amy);
  EXPECT_NE(PersonOf(FaceIds(5)[1]), 0);
  EXPECT_EQ(PersonOf(FaceIds(5)[1]), PersonOf(FaceIds(6)[0]));
  EXPECT_EQ(report.stats.new_people, 1);
}

TEST_F(CatalogClustering, CorrectionsHoldThroughReclustering) {
  for (int n = 1; n <= 6; ++n) Photo(n, {1});
  for (int n = 7; n <= 9; ++n) Photo(n, {2});
  Cluster();
  const int64_t amy = PersonOf(FaceIds(1)[0]);
  const int64_t bob = PersonOf(FaceIds(7)[0]);
  ASSERT_NE(amy, bob);
  ASSERT_TRUE(catalog().RejectFace(FaceIds(2)[0], amy).ok());
  ASSERT_TRUE(catalog().UnassignFace(FaceIds(3)[0]).ok());
  ASSERT_TRUE(catalog().MoveFace(FaceIds(4)[0], bob).ok());
  for (auto mode : {GroupingMode::kFull, GroupingMode::kIncremental, GroupingMode::kFull}) {
    Cluster(mode);
    EXPECT_NE(PersonOf(FaceIds(2)[0]), amy) << "rejected";
    EXPECT_EQ(PersonOf(FaceIds(3)[0]), 0) << "unassigned by the user";
    EXPECT_EQ(PersonOf(FaceIds(4)[0]), bob) << "moved by the user";
    EXPECT_EQ(PersonOf(FaceIds(5)[0]), amy);
  }
}

TEST_F(CatalogClustering, TheSamePhotosInAnotherOrderGiveTheSamePeople) {
  std::vector<std::pair<int, std::vector<int>>> photos;
  for (int n = 1; n <= 12; ++n) photos.push_back({n, {1 + n % 3, 4 + n % 2}});
  photos.push_back({13, {7}});
  auto partition = [](Catalog& c) {
    // Faces keyed by (photo hash, ordinal): the same in both catalogs.
    std::map<int64_t, std::set<std::pair<std::string, int>>> groups;
    auto exported = c.Export();
    for (const auto& p : exported->photos) {
      auto faces = c.FacesOfPhoto(p.photo.id);
      for (const auto& f : *faces) {
        if (f.person_id) groups[f.person_id].insert({p.photo.content_hash, f.ordinal});
      }
    }
    std::set<std::set<std::pair<std::string, int>>> out;
    for (auto& [id, g] : groups) out.insert(g);
    return out;
  };
  for (const auto& [n, ids] : photos) Photo(n, ids);
  Cluster();

  TempDir other_dir;
  auto other = Catalog::Open(other_dir.path() / "c.db");
  ASSERT_TRUE(other.ok());
  std::reverse(photos.begin(), photos.end());
  for (const auto& [n, ids] : photos) {
    std::vector<Face> faces;
    for (size_t i = 0; i < ids.size(); ++i)
      faces.push_back(MakeFace(MakeEmbedding(ids[i], n * 10 + static_cast<int>(i)), 10.f + 150.f * i));
    ASSERT_TRUE((*other)
                    ->AddPhotoResult(
                        MakePhoto("/elsewhere/" + std::to_string(n), "photo " + std::to_string(n)), faces)
                    .ok());
  }
  ASSERT_TRUE(GroupCatalog(**other, GroupingMode::kFull).ok());
  EXPECT_EQ(partition(catalog()), partition(**other));
}

TEST_F(CatalogClustering, IdentifyNamesTheFacesOfANewPhotoWithoutAddingIt) {
  for (int n = 1; n <= 5; ++n) Photo(n, {1, 2, 3});
  Cluster();
  ASSERT_TRUE(catalog().NamePerson(PersonOf(FaceIds(1)[0]), "Amy").ok());
  ASSERT_TRUE(catalog().NamePerson(PersonOf(FaceIds(1)[1]), "Bob").ok());
  // Identity 3 is unnamed; identity 9 was never seen; two Amys in one photo: only one is Amy.
  const std::vector<Embedding> query = {MakeEmbedding(2, 77), MakeEmbedding(1, 78), MakeEmbedding(3, 79),
                                        MakeEmbedding(9, 80), MakeEmbedding(1, 81, 0.05f)};
  auto who = IdentifyFaces(catalog(), query);
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  ASSERT_EQ(who->size(), 5u);
  EXPECT_EQ(catalog().GetPerson((*who)[0].person_id)->name, "Bob");
  EXPECT_EQ(catalog().GetPerson((*who)[1].person_id)->name, "Amy");
  EXPECT_EQ((*who)[2].person_id, 0) << "unnamed people are not named";
  EXPECT_EQ((*who)[3].person_id, 0);
  EXPECT_EQ((*who)[4].person_id, 0) << "Amy is already the closer face";
  EXPECT_EQ(catalog().GetCounts()->photos, 5);
}

}  // namespace
}  // namespace facetag::testing
