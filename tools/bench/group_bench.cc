// group_bench: grouping speed, memory and quality on synthetic 128-D face descriptors.
//
//   group_bench --faces 1000000 --identities 20000 [--runs 1] [--threads 2] ...
//
// The synthetic library imitates face-api's descriptors: identity centres around a common mean
// (norm ~1.4, centre-to-centre distance ~0.75), each identity with its own spread (same-person
// distances ~0.3-0.5), heavy-tailed face counts per identity (a few people in many photos,
// many in few), a share of strangers seen once, and group photos of up to four different
// people (so cannot-link constraints are exercised). Prints timings (median over --runs), the
// peak resident memory, and pairwise precision/recall/F1 against the truth.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <unordered_map>
#include <vector>

#include "facetag/people.h"

namespace {

struct Library {
  facetag::GroupingInput input;
  std::vector<int64_t> truth;  // identity per face; strangers get ids of their own
};

struct SyntheticOptions {
  int64_t faces = 100000;
  int64_t identities = 0;  // 0: faces / 50
  double strangers = 0.05;
  double centre_distance = 0.75;
  double min_spread = 0.30, max_spread = 0.48;  // typical same-person distance range
  int max_faces_per_photo = 4;
  uint32_t seed = 1;
};

Library MakeLibrary(const SyntheticOptions& o) {
  constexpr int kDim = 128;
  std::mt19937_64 rng(o.seed);
  std::normal_distribution<float> unit(0.f, 1.f);
  const int64_t identities = o.identities > 0 ? o.identities : std::max<int64_t>(1, o.faces / 50);
  const auto strangers = static_cast<int64_t>(o.strangers * static_cast<double>(o.faces));
  const int64_t known_faces = o.faces - strangers;

  // Heavy-tailed counts: lognormal weights, at least one face per identity.
  std::lognormal_distribution<double> weight(0.0, 1.0);
  std::vector<double> w(static_cast<size_t>(identities));
  double total = 0;
  for (auto& x : w) total += (x = weight(rng));
  std::vector<int64_t> count(w.size());
  int64_t assigned = 0;
  for (size_t k = 0; k < w.size(); ++k) {
    count[k] = std::max<int64_t>(1, std::llround(w[k] / total * static_cast<double>(known_faces)));
    assigned += count[k];
  }
  for (size_t k = 0; assigned != known_faces; k = (k + 1) % count.size()) {  // fix rounding
    if (assigned > known_faces && count[k] > 1)
      --count[k], --assigned;
    else if (assigned < known_faces)
      ++count[k], ++assigned;
  }

  std::vector<float> mean(kDim);
  for (auto& m : mean) m = 0.12f * unit(rng);
  const float centre_sigma = static_cast<float>(o.centre_distance / std::sqrt(2.0 * kDim));
  std::uniform_real_distribution<double> spread(o.min_spread, o.max_spread);

  // Faces in identity order first, then shuffled into photos.
  std::vector<float> embeddings;
  embeddings.reserve(static_cast<size_t>(o.faces) * kDim);
  std::vector<int64_t> identity;
  identity.reserve(static_cast<size_t>(o.faces));
  std::vector<float> centre(kDim);
  auto add_identity = [&](int64_t id, int64_t n, double pair_distance) {
    for (int d = 0; d < kDim; ++d) centre[d] = mean[d] + centre_sigma * unit(rng);
    const float sigma = static_cast<float>(pair_distance / std::sqrt(2.0 * kDim));
    for (int64_t i = 0; i < n; ++i) {
      for (int d = 0; d < kDim; ++d) embeddings.push_back(centre[d] + sigma * unit(rng));
      identity.push_back(id);
    }
  };
  for (size_t k = 0; k < count.size(); ++k) add_identity(static_cast<int64_t>(k) + 1, count[k], spread(rng));
  for (int64_t s = 0; s < strangers; ++s) add_identity(identities + 1 + s, 1, spread(rng));

  std::vector<uint32_t> order(identity.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);

  Library lib;
  lib.input.dim = kDim;
  lib.input.faces.reserve(order.size());
  lib.input.embeddings.resize(embeddings.size());
  lib.truth.reserve(order.size());
  std::uniform_int_distribution<int> photo_size(1, std::max(1, o.max_faces_per_photo));
  int64_t photo = 0;
  int in_photo = 0, target = 0;
  std::vector<int64_t> photo_identities;
  for (size_t k = 0; k < order.size(); ++k) {
    const uint32_t f = order[k];
    const bool repeat = std::count(photo_identities.begin(), photo_identities.end(), identity[f]) > 0;
    if (in_photo == target || repeat) {  // a photo never shows one person twice
      ++photo;
      in_photo = 0;
      target = photo_size(rng);
      photo_identities.clear();
    }
    facetag::GroupingFaceRow row;
    row.face_id = static_cast<int64_t>(k) + 1;
    row.photo_id = photo;
    row.photo_key = static_cast<uint64_t>(photo) * 0x9E3779B97F4A7C15ull;
    row.ordinal = in_photo++;
    photo_identities.push_back(identity[f]);
    lib.input.faces.push_back(row);
    std::copy_n(embeddings.begin() + static_cast<std::ptrdiff_t>(f) * kDim, kDim,
                lib.input.embeddings.begin() + static_cast<std::ptrdiff_t>(k) * kDim);
    lib.truth.push_back(identity[f]);
  }
  return lib;
}

struct Quality {
  double precision = 0, recall = 0, f1 = 0;
  int64_t same_photo_violations = 0;
};

// Pairwise scores from the contingency table: O(faces), fine for millions.
Quality Score(const Library& lib, const std::vector<int64_t>& person) {
  auto pairs = [](double n) { return n * (n - 1) / 2; };
  std::unordered_map<int64_t, int64_t> truth_sizes, predicted_sizes;
  std::unordered_map<uint64_t, int64_t> cells;
  std::unordered_map<uint64_t, int64_t> photo_person;
  Quality q;
  for (size_t i = 0; i < person.size(); ++i) {
    ++truth_sizes[lib.truth[i]];
    if (person[i] == 0) continue;
    ++predicted_sizes[person[i]];
    ++cells[static_cast<uint64_t>(lib.truth[i]) * 0x100000000ull +
            static_cast<uint64_t>(person[i] & 0xffffffff)];
    const uint64_t key = static_cast<uint64_t>(lib.input.faces[i].photo_id) * 0x100000000ull +
                         static_cast<uint64_t>(person[i] & 0xffffffff);
    if (++photo_person[key] > 1) ++q.same_photo_violations;
  }
  double tp = 0, predicted = 0, actual = 0;
  for (const auto& [k, n] : cells) tp += pairs(static_cast<double>(n));
  for (const auto& [k, n] : predicted_sizes) predicted += pairs(static_cast<double>(n));
  for (const auto& [k, n] : truth_sizes) actual += pairs(static_cast<double>(n));
  q.precision = predicted > 0 ? tp / predicted : 1;
  q.recall = actual > 0 ? tp / actual : 1;
  q.f1 = q.precision + q.recall > 0 ? 2 * q.precision * q.recall / (q.precision + q.recall) : 0;
  return q;
}

double PeakRssMb() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux: kilobytes
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  SyntheticOptions syn;
  facetag::GroupingOptions options;
  int runs = 1;
  std::string search = "auto";
  CLI::App app{"group_bench: people grouping on synthetic face descriptors"};
  app.add_option("--faces", syn.faces, "number of faces")->check(CLI::PositiveNumber);
  app.add_option("--identities", syn.identities, "number of people (default faces/50)");
  app.add_option("--strangers", syn.strangers, "share of faces seen only once")->check(CLI::Range(0.0, 1.0));
  app.add_option("--centre-distance", syn.centre_distance, "typical distance between two people");
  app.add_option("--min-spread", syn.min_spread, "tightest person: typical same-person distance");
  app.add_option("--max-spread", syn.max_spread, "loosest person: typical same-person distance");
  app.add_option("--seed", syn.seed, "synthetic data seed");
  app.add_option("--runs", runs, "timed runs (median reported)")->check(CLI::PositiveNumber);
  app.add_option("--eps", options.eps, "neighbour radius");
  app.add_option("--min-points", options.min_points, "DBSCAN min_points");
  app.add_option("--max-neighbors", options.max_neighbors, "neighbours kept per face");
  app.add_option("--max-centroid-distance", options.max_centroid_distance, "centroid rule (0: off)");
  app.add_option("--search", search, "auto, exact or hnsw")->check(CLI::IsMember({"auto", "exact", "hnsw"}));
  app.add_option("--m", options.hnsw_m, "hnsw M");
  app.add_option("--ef-construction", options.hnsw_ef_construction, "hnsw ef_construction");
  app.add_option("--threads", options.threads, "threads (0: all cores; the result does not depend on it)");
  CLI11_PARSE(app, argc, argv);
  options.search = search == "exact"  ? facetag::GroupingOptions::Search::kExact
                   : search == "hnsw" ? facetag::GroupingOptions::Search::kHnsw
                                      : facetag::GroupingOptions::Search::kAuto;

  const auto t0 = std::chrono::steady_clock::now();
  const Library lib = MakeLibrary(syn);
  const double gen_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("synthetic: %zu faces, %lld identities, %.0f%% strangers, generated in %.1f s, rss %.0f MB\n",
              lib.input.faces.size(),
              static_cast<long long>(syn.identities > 0 ? syn.identities : syn.faces / 50),
              100 * syn.strangers, gen_s, PeakRssMb());
  std::printf(
      "options: eps %.3f max_centroid_distance %.3f min_points %d max_neighbors %d search %s M %d "
      "ef_construction %d threads %d\n",
      options.eps, options.max_centroid_distance, options.min_points, options.max_neighbors, search.c_str(),
      options.hnsw_m, options.hnsw_ef_construction, options.threads);
  std::fflush(stdout);

  std::vector<double> total, neighbors, grouping;
  facetag::GroupingOutput last;
  for (int r = 0; r < runs; ++r) {
    auto out = facetag::GroupFaces(lib.input, facetag::GroupingMode::kFull, options);
    if (!out.ok()) {
      std::fprintf(stderr, "group_bench: %s\n", out.status().ToString().c_str());
      return 1;
    }
    total.push_back(out->stats.total_s);
    neighbors.push_back(out->stats.neighbors_s);
    grouping.push_back(out->stats.grouping_s);
    std::printf("run %d: %.2f s (neighbours %.2f s via %s of which hnsw graph %.2f s, grouping %.2f s)\n",
                r + 1, out->stats.total_s, out->stats.neighbors_s, out->stats.search.c_str(),
                out->stats.index_s, out->stats.grouping_s);
    std::fflush(stdout);
    last = std::move(*out);
  }
  const Quality q = Score(lib, last.person);
  std::printf("median: %.2f s total, %.2f s neighbours, %.2f s grouping over %d run(s)\n", Median(total),
              Median(neighbors), Median(grouping), runs);
  std::printf(
      "people: %lld, noise faces: %lld, links: %lld (refused: %lld by constraints, %lld by centroids)\n",
      static_cast<long long>(last.stats.people), static_cast<long long>(last.stats.noise),
      static_cast<long long>(last.stats.links), static_cast<long long>(last.stats.refused_links),
      static_cast<long long>(last.stats.refused_by_centroid));
  std::printf("pairwise precision %.4f recall %.4f F1 %.4f; photos with two faces on one person: %lld\n",
              q.precision, q.recall, q.f1, static_cast<long long>(q.same_photo_violations));
  std::printf("peak rss: %.0f MB\n", PeakRssMb());
  return 0;
}
