// The same faces give the same people, whatever order they arrive in, whatever ids they got,
// however many threads search, and whichever neighbour search runs.
#include <algorithm>
#include <numeric>
#include <random>

#include "people/people_fixture.h"

namespace facetag::testing {
namespace {

// Several hundred faces: 60 identities of varying size and spread (same-person distances
// about 0.3 to 0.48, as face-api's are), photos with up to three
// people, a few exact duplicates (ties) and strangers.
InputBuilder Library(uint32_t seed, size_t* strangers = nullptr) {
  InputBuilder b;
  std::mt19937 rng(seed);
  int64_t photo = 0;
  for (int who = 1; who <= 60; ++who) {
    const int count = 2 + static_cast<int>(rng() % 12);
    for (int v = 1; v <= count; ++v) {
      ++photo;
      b.Add(photo, MakeEmbedding(who, v, 0.018f + 0.003f * static_cast<float>(who % 5)));
      if (v % 4 == 0) b.Add(photo, MakeEmbedding((who % 60) + 1, 100 + v));  // a companion
      if (v == 3)
        b.Add(++photo, MakeEmbedding(who, v, 0.018f + 0.003f * static_cast<float>(who % 5)));  // duplicate
    }
  }
  for (int s = 0; s < 20; ++s) b.Add(++photo, MakeEmbedding(1000 + s, 1));
  if (strangers) *strangers = 20;
  return b;
}

// The partition as sets of (photo key, ordinal), independent of ids and person numbers.
std::vector<std::vector<std::pair<uint64_t, int>>> Partition(const GroupingInput& in,
                                                             const std::vector<int64_t>& person) {
  std::map<int64_t, std::vector<std::pair<uint64_t, int>>> groups;
  for (size_t i = 0; i < person.size(); ++i) {
    if (person[i] != 0) groups[person[i]].push_back({in.faces[i].photo_key, in.faces[i].ordinal});
  }
  std::vector<std::vector<std::pair<uint64_t, int>>> out;
  for (auto& [id, g] : groups) {
    std::sort(g.begin(), g.end());
    out.push_back(g);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The same faces in another order, with other face and photo ids (as a catalog that saw the
// photos in another order would give them).
GroupingInput Shuffled(const GroupingInput& in, uint32_t seed) {
  std::vector<size_t> order(in.faces.size());
  std::iota(order.begin(), order.end(), 0u);
  std::mt19937 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  GroupingInput out;
  out.dim = in.dim;
  std::map<int64_t, int64_t> photo_ids;
  for (size_t k = 0; k < order.size(); ++k) {
    GroupingFaceRow row = in.faces[order[k]];
    row.face_id = 5000 + static_cast<int64_t>(k);
    if (!photo_ids.count(row.photo_id))
      photo_ids[row.photo_id] = 900 + static_cast<int64_t>(photo_ids.size());
    row.photo_id = photo_ids[row.photo_id];
    out.faces.push_back(row);
    const auto begin =
        in.embeddings.begin() + static_cast<std::ptrdiff_t>(order[k] * static_cast<size_t>(in.dim));
    out.embeddings.insert(out.embeddings.end(), begin, begin + in.dim);
  }
  return out;
}

TEST(Determinism, ShuffledInputGivesTheSamePeople) {
  InputBuilder b = Library(1);
  auto first = GroupFaces(b.input(), GroupingMode::kFull);
  ASSERT_TRUE(first.ok());
  const auto expected = Partition(b.input(), first->person);
  EXPECT_GT(expected.size(), 50u);
  for (uint32_t seed : {2u, 3u, 4u}) {
    const GroupingInput shuffled = Shuffled(b.input(), seed);
    auto again = GroupFaces(shuffled, GroupingMode::kFull);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(Partition(shuffled, again->person), expected) << "shuffle seed " << seed;
  }
}

TEST(Determinism, ShuffledInputGivesTheSamePeopleWithTheHnswSearch) {
  InputBuilder b = Library(5);
  GroupingOptions hnsw;
  hnsw.search = GroupingOptions::Search::kHnsw;
  auto first = GroupFaces(b.input(), GroupingMode::kFull, hnsw);
  ASSERT_TRUE(first.ok());
  const auto expected = Partition(b.input(), first->person);
  for (uint32_t seed : {6u, 7u}) {
    const GroupingInput shuffled = Shuffled(b.input(), seed);
    auto again = GroupFaces(shuffled, GroupingMode::kFull, hnsw);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(Partition(shuffled, again->person), expected) << "shuffle seed " << seed;
  }
}

TEST(Determinism, SearchThreadsAndSearchMethodDoNotChangeThePeople) {
  InputBuilder b = Library(8);
  GroupingOptions one, two, hnsw;
  one.threads = 1;
  two.threads = 2;
  hnsw.search = GroupingOptions::Search::kHnsw;
  hnsw.threads = 2;
  auto a = GroupFaces(b.input(), GroupingMode::kFull, one);
  auto c = GroupFaces(b.input(), GroupingMode::kFull, two);
  auto h = GroupFaces(b.input(), GroupingMode::kFull, hnsw);
  ASSERT_TRUE(a.ok() && c.ok() && h.ok());
  EXPECT_EQ(a->person, c->person);
  EXPECT_EQ(a->person, h->person);
}

TEST(Determinism, SyntheticLibraryIsGroupedWell) {
  size_t strangers = 0;
  InputBuilder b = Library(9, &strangers);
  std::vector<int64_t> truth;
  for (size_t i = 0; i < b.input().faces.size(); ++i) {
    // Recover the identity: the nearest of the 60 + strangers identity centres.
    int best = 0;
    float best_d = 1e9f;
    for (int who = 1; who <= 1020; ++who) {
      if (who > 60 && who < 1000) continue;
      const Embedding centre = MakeEmbedding(who, 0);
      float d = 0;
      for (int k = 0; k < 128; ++k) {
        const float x = b.input().embeddings[i * 128 + k] - centre[k];
        d += x * x;
      }
      if (d < best_d) best_d = d, best = who;
    }
    truth.push_back(best);
  }
  auto out = GroupFaces(b.input(), GroupingMode::kFull);
  ASSERT_TRUE(out.ok());
  EXPECT_GE(PairwiseF1(truth, out->person).f1, 0.99);
  EXPECT_GE(out->stats.noise, static_cast<int64_t>(strangers));
}

}  // namespace
}  // namespace facetag::testing
