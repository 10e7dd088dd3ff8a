// Naming a face that is not in the catalog: one rule, shared by `facetag whois`, the service's
// /recognize and the cluster head. A face is the person whose nearest assigned face is closest
// (ties: the lower face id), within max_distance and ahead of the runner-up by margin; only
// visible persons (named ones by default) are eligible; faces of one photo get different
// persons, the closest pair first.
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "facetag/catalog.h"
#include "facetag/status.h"

namespace facetag {

// The rule's two numbers, the same wherever a face is named (whois, /recognize, /verify, compare).
// A face is a person within face-api's FaceMatcher distance of 0.6, if no other person is
// nearly as close: the runner-up must be kMatchMargin farther. On the faces-bbt photos, 0.6
// alone named a stranger in a group photo (whois), and 0.55 left 5 of 32 faces unnamed with one
// registered face per person (0.6: 3); with the margin neither names anyone wrongly, and every
// margin from 0.04 to 0.06 gives the same answers (docs/LIBRARY.md, "Naming a face").
inline constexpr float kMatchDistance = 0.6f;
inline constexpr float kMatchMargin = 0.05f;

struct IdentifyOptions {
  float max_distance = kMatchDistance;  // to the person's nearest assigned face
  float margin = kMatchMargin;          // the best person must beat every other by this much
  bool named_only = true;               // only persons with a name
};

// Who a face probably is.
struct Identification {
  int64_t person_id = 0;  // 0: nobody close enough
  std::string name;       // the person's name ("" for nobody, or an unnamed person)
  float distance = 0;     // to the nearest face of that person
  int64_t nearest_face_id = 0;
  // To the nearest face of any eligible person, whether or not it was close enough; infinity
  // when there is nobody to compare with (recorded in the events of unknown faces).
  float nearest = std::numeric_limits<float>::infinity();
};

// The eligible persons' assigned faces as one matrix: naming is a scan of floats (exact search).
class KnownFaceIndex {
 public:
  static Result<std::shared_ptr<const KnownFaceIndex>> Load(Catalog& catalog, const IdentifyOptions& options);
  // One Identification per embedding, in order; an embedding of another size than the
  // catalog's is nobody.
  std::vector<Identification> Identify(const std::vector<Embedding>& embeddings) const;
  const IdentifyOptions& options() const { return options_; }

 private:
  IdentifyOptions options_;
  int dim_ = 0;
  std::vector<float> vectors_;    // rows of dim_
  std::vector<int64_t> face_of_;  // per row
  std::vector<int64_t> person_of_;
  std::unordered_map<int64_t, std::string> names_;  // eligible persons
};

// Load + Identify, for one-off use (`facetag whois`).
Result<std::vector<Identification>> IdentifyFaces(Catalog& catalog, const std::vector<Embedding>& embeddings,
                                                  const IdentifyOptions& options = {});

// A KnownFaceIndex kept current for a long-running process: rebuilt on the next Identify after
// Invalidate (the process's own writes) or after Poll notices another process's (through the
// corrections version and the face counts). Thread-safe.
class KnownFaces {
 public:
  KnownFaces(std::unique_ptr<Catalog> catalog, IdentifyOptions options)
      : catalog_(std::move(catalog)), options_(options) {}
  void Invalidate() { stale_ = true; }
  void Poll();  // cheap; call every few seconds
  Result<std::vector<Identification>> Identify(const std::vector<Embedding>& embeddings);
  float max_distance() const { return options_.max_distance; }

 private:
  Result<std::shared_ptr<const KnownFaceIndex>> Current();
  std::mutex mu_;  // guards catalog_, index_, signature_
  std::unique_ptr<Catalog> catalog_;
  IdentifyOptions options_;
  std::shared_ptr<const KnownFaceIndex> index_;
  std::atomic<bool> stale_{true};
  std::string signature_;
};

}  // namespace facetag
