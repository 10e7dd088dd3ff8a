// Building grouping inputs by hand, and scoring a grouping against the truth.
#pragma once

#include <map>
#include <vector>

#include "catalog/catalog_fixture.h"
#include "facetag/people.h"

namespace facetag::testing {

// Faces added one by one; face ids 1, 2, ... and photo keys derived from the photo number.
class InputBuilder {
 public:
  explicit InputBuilder(int dim = 128) { input_.dim = dim; }

  // Returns the index of the new face.
  size_t Add(int64_t photo, const Embedding& embedding, int64_t person = 0,
             Assignment a = Assignment::kAuto) {
    GroupingFaceRow row;
    row.face_id = static_cast<int64_t>(input_.faces.size()) + 1;
    row.photo_id = photo;
    row.photo_key = static_cast<uint64_t>(photo) * 0x9E3779B97F4A7C15ull;  // content-like, not in photo order
    row.ordinal = ordinal_[photo]++;
    row.person_id = person;
    row.assignment = a;
    input_.faces.push_back(row);
    input_.embeddings.insert(input_.embeddings.end(), embedding.begin(), embedding.end());
    return input_.faces.size() - 1;
  }
  void Person(int64_t id, bool pinned, const std::string& name = "") {
    input_.persons.push_back({id, name, false, pinned});
  }
  void Reject(size_t face, int64_t person) {
    input_.rejections.push_back({input_.faces[face].face_id, person});
  }
  GroupingInput& input() { return input_; }

 private:
  GroupingInput input_;
  std::map<int64_t, int> ordinal_;
};

struct PairScores {
  double precision = 0, recall = 0, f1 = 0;
};

// Pairwise precision/recall/F1: a pair of faces is "together" when both have the same
// non-zero label. Faces with predicted label 0 are alone.
inline PairScores PairwiseF1(const std::vector<int64_t>& truth, const std::vector<int64_t>& predicted) {
  double tp = 0, fp = 0, fn = 0;
  for (size_t i = 0; i < truth.size(); ++i) {
    for (size_t j = i + 1; j < truth.size(); ++j) {
      const bool same = truth[i] == truth[j];
      const bool together = predicted[i] != 0 && predicted[i] == predicted[j];
      tp += same && together;
      fp += !same && together;
      fn += same && !together;
    }
  }
  PairScores s;
  s.precision = tp + fp > 0 ? tp / (tp + fp) : 1;
  s.recall = tp + fn > 0 ? tp / (tp + fn) : 1;
  s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0;
  return s;
}

}  // namespace facetag::testing
