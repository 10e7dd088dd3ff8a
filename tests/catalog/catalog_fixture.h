// A fresh catalog in a private temporary folder per test, and small builders for photos and
// faces, so catalog and people tests read as specifications.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "facetag/catalog.h"
#include "facetag/grouping_io.h"

namespace facetag::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "facetag-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) ? std::filesystem::path(pattern) : std::filesystem::path();
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A 128-D embedding: a fixed direction per `identity`, plus a little per-`variant` noise.
inline Embedding MakeEmbedding(int identity, int variant = 0, float noise = 0.02f) {
  std::mt19937 id_rng(static_cast<uint32_t>(identity) * 7919u + 1u);
  std::normal_distribution<float> g(0.f, 0.12f);
  Embedding e(128);
  for (auto& v : e) v = g(id_rng);
  if (variant) {
    std::mt19937 var_rng(static_cast<uint32_t>(identity) * 104729u + static_cast<uint32_t>(variant));
    std::normal_distribution<float> n(0.f, noise);
    for (auto& v : e) v += n(var_rng);
  }
  return e;
}

inline Face MakeFace(const Embedding& embedding, float x = 10) {
  Face f;
  f.box = {x, 20, 100, 120};
  f.score = 0.9f;
  for (int i = 0; i < 68; ++i) f.landmarks[i] = {x + i, 30.f + i};
  f.embedding = embedding;
  return f;
}

inline PhotoInput MakePhoto(const std::string& path, const std::string& content, int64_t mtime = 1000) {
  PhotoInput p;
  p.path = path;
  p.stat = {static_cast<int64_t>(content.size()), mtime};
  p.content_hash = HashBytes({reinterpret_cast<const uint8_t*>(content.data()), content.size()});
  p.width = 640;
  p.height = 480;
  return p;
}

// Adds photo `n` ("/lib/<n>.jpg", content "<n>") holding one face of `identity`; returns the face's id.
inline int64_t AddOneFacePhoto(Catalog& catalog, int n, int identity, int variant) {
  auto added = catalog.AddPhotoResult(MakePhoto("/lib/" + std::to_string(n) + ".jpg", std::to_string(n)),
                                      {MakeFace(MakeEmbedding(identity, variant))});
  EXPECT_TRUE(added.ok()) << added.status().ToString();
  return added.ok() ? catalog.FacesOfPhoto(added->photo_id)->at(0).id : 0;
}

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Catalog::Open(db_path());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    catalog_ = std::move(*opened);
  }

  std::filesystem::path db_path() const { return dir_.path() / "catalog.db"; }
  Catalog& catalog() { return *catalog_; }

  // Adds a photo whose faces have the given identities; returns the photo id.
  int64_t AddPhoto(const std::string& path, const std::string& content, const std::vector<int>& identities,
                   int variant = 1) {
    std::vector<Face> faces;
    for (size_t i = 0; i < identities.size(); ++i) {
      faces.push_back(
          MakeFace(MakeEmbedding(identities[i], variant + static_cast<int>(i)), 10.f + 150.f * i));
    }
    auto out = catalog().AddPhotoResult(MakePhoto(path, content), faces);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? out->photo_id : 0;
  }

  std::vector<int64_t> FaceIds(int64_t photo_id) {
    std::vector<int64_t> ids;
    auto faces = catalog().FacesOfPhoto(photo_id);
    EXPECT_TRUE(faces.ok());
    if (faces.ok())
      for (const auto& f : *faces) ids.push_back(f.id);
    return ids;
  }

  // As grouping would: one new person per group of faces (assignment auto). Returns the ids.
  std::vector<int64_t> MakePersons(const std::vector<std::vector<int64_t>>& groups) {
    AssignmentPlan plan;
    plan.corrections_version = *CorrectionsVersion(catalog());
    plan.new_persons = static_cast<int>(groups.size());
    for (size_t g = 0; g < groups.size(); ++g) {
      for (int64_t face : groups[g]) plan.changes.push_back({face, -static_cast<int64_t>(g) - 1});
    }
    auto applied = ApplyAssignments(catalog(), plan);
    EXPECT_TRUE(applied.ok() && *applied);
    std::vector<int64_t> ids;
    for (const auto& g : groups) ids.push_back(catalog().GetFace(g.at(0))->person_id);
    return ids;
  }

  TempDir dir_;
  std::unique_ptr<Catalog> catalog_;
};

// Two photos and three people to correct: photo 1 shows Amy (face a1) and Bob (b1), photo 2 Amy
// (a2) and Cat (c2).
class TwoPhotosThreePeople : public CatalogTest {
 protected:
  void SetUp() override {
    CatalogTest::SetUp();
    p1_ = AddPhoto("/lib/1.jpg", "1", {1, 2});
    p2_ = AddPhoto("/lib/2.jpg", "2", {1, 3});
    const auto f1 = FaceIds(p1_), f2 = FaceIds(p2_);
    a1_ = f1[0], b1_ = f1[1], a2_ = f2[0], c2_ = f2[1];
    const auto ids = MakePersons({{a1_, a2_}, {b1_}, {c2_}});
    amy_ = ids[0], bob_ = ids[1], cat_ = ids[2];
  }

  int64_t p1_ = 0, p2_ = 0, a1_ = 0, b1_ = 0, a2_ = 0, c2_ = 0, amy_ = 0, bob_ = 0, cat_ = 0;
};

}  // namespace facetag::testing
