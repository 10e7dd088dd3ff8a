// People: faces grouped by descriptor, under the user's constraints, with identities (ids and
// so names) carried over from one grouping to the next.
//
// Algorithm (DBSCAN-style, min_points 2 = single linkage cut at eps, made constraint-aware):
//  1. Faces are ordered by a key that does not depend on arrival order (photo content hash,
//     detection ordinal), so the same faces give the same people however they arrived.
//  2. Anchored faces start grouped by person: faces the user assigned, and in a full run every
//     face of a pinned person (one the user named, hid, merged or corrected); in an incremental
//     run every face that already has a person. User-unassigned faces are left out.
//  3. Each free face finds its nearest neighbours within eps (at most max_neighbors; exact
//     search for small inputs, an hnswlib graph for large ones). Faces with at least
//     min_points - 1 neighbours are core faces.
//  4. Core-core links are applied closest first (ties by position): two groups join unless
//     that would put two faces of one photo together (cannot-link), give a group two different
//     anchors, give a face a person it was rejected for, or join groups whose mean descriptors
//     are farther apart than max_centroid_distance (against chaining). Non-core faces join the
//     nearest core face's group that accepts them.
//  5. Free groups smaller than min_points are noise: their faces stay unassigned (a face seen
//     once is nobody yet; it joins someone when a close enough face arrives).
//  6. Anchored groups keep their anchor's person. In a full run each other group takes the
//     unpinned person most of its faces were on before (largest overlap first, ties by
//     position then id), so ids and names stay on the same faces; the rest get new persons.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "facetag/catalog.h"
#include "facetag/grouping_io.h"
#include "facetag/known_faces.h"
#include "facetag/status.h"

namespace facetag {

struct GroupingOptions {
  // Neighbour radius, Euclidean on raw face-api descriptors. face-api's 0.6 match threshold
  // joins two of the 8 people of the faces-bbt crops (closest different-person pair 0.594);
  // the widest link a person needs there is 0.535. 0.55 sits between, with F1 1.0.
  float eps = 0.55f;
  // Neighbours (plus itself) a face needs to be core; also the smallest group that is a person.
  // 2: two faces are enough to make a person; 1: every face is someone.
  int min_points = 2;
  // Nearest neighbours kept per face: enough for single-linkage connectivity, bounded memory.
  int max_neighbors = 16;
  // Two groups join only if their mean descriptors are this close (0: no limit): single
  // linkage alone chains two people through one close pair of faces, while the parts of one
  // person's group have close means. Equal to eps: the faces-bbt crops keep F1 1.0 down to
  // 0.55 (0.5: 0.974), and on the synthetic benchmark it removes every false merge (precision
  // 0.9915 -> 1.0 at 100k faces).
  float max_centroid_distance = 0.55f;

  enum class Search { kAuto, kExact, kHnsw };
  Search search = Search::kAuto;  // auto: exact while (searching faces x faces) is small
  // The hnsw graph (int8-quantised descriptors; exact distances decide). Measured on the
  // synthetic benchmark: ef_construction 64 keeps recall at 0.998 (48: 0.994, 32: 0.973).
  int hnsw_m = 16;
  int hnsw_ef_construction = 64;
  // Threads for the neighbour search. The result does not depend on it: the graph is built in
  // batches that search in parallel and are linked in a fixed order. 0: all cores.
  int threads = 0;
  uint32_t seed = 100;
};

enum class GroupingMode {
  kFull,         // regroup every face that is not anchored (`facetag group`)
  kIncremental,  // only unassigned faces: they join existing people or form new ones
};

struct GroupingInput {
  int dim = 0;
  std::vector<GroupingFaceRow> faces;
  std::vector<float> embeddings;  // faces.size() x dim, row i is faces[i]'s
  std::vector<FaceRejection> rejections;
  std::vector<PersonRecord> persons;  // which are pinned; faces naming others count as free
};

struct GroupingStats {
  int64_t faces = 0;                // in the input
  int64_t free_faces = 0;           // regrouped (not anchored, not left out)
  int64_t links = 0;                // core-core links within eps
  int64_t refused_links = 0;        // links a constraint refused
  int64_t refused_by_centroid = 0;  // links refused because the groups' centres are too far
  int64_t people = 0;               // groups that are persons
  int64_t new_people = 0;
  int64_t noise = 0;       // free faces left unassigned
  std::string search;      // "exact" or "hnsw"
  double neighbors_s = 0;  // neighbour search, of which:
  double index_s = 0;      //   the hnsw graph (its build finds the neighbours)
  double grouping_s = 0, total_s = 0;
};

struct GroupingOutput {
  // Per input face: > 0 an existing person, < 0 a new one (-1 .. -new_persons), 0 nobody.
  std::vector<int64_t> person;
  int new_persons = 0;
  GroupingStats stats;
};

// The pure function: no catalog, no I/O. Deterministic for a given input set and options,
// whatever the order of `input.faces` and the number of threads.
Result<GroupingOutput> GroupFaces(const GroupingInput& input, GroupingMode mode,
                                  const GroupingOptions& options = {});

struct GroupingReport {
  GroupingStats stats;
  int64_t changed_faces = 0;  // faces whose person changed
  int attempts = 1;           // > 1 when a correction arrived mid-way and it re-ran
};

// Reads the catalog's faces and constraints, groups them, and writes every assignment in one
// transaction. Re-runs (up to 3 times) if the user corrected something meanwhile.
Result<GroupingReport> GroupCatalog(Catalog& catalog, GroupingMode mode, const GroupingOptions& options = {});

}  // namespace facetag
