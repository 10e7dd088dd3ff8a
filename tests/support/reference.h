// Reference outputs that face-api.js itself produced (scripts/make-reference.sh), and where
// the photos they name live on this machine.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "facetag/face.h"
#include "facetag/image.h"

namespace facetag::testing {

struct ReferencePhoto {
  std::string file;  // "faces-bbt/bbt1.jpg" or "face-api/demo/sample1.jpg"
  std::vector<Face> faces;
};

// Reads tests/data/reference/<name> (JSON lines as the peer prints them).
std::vector<ReferencePhoto> LoadReference(const std::string& name);

// "faces-bbt/..." under tests/data, "face-api/..." under the npm package.
std::filesystem::path ResolveReferenceFile(const std::string& file);

// The pixels face-api.js saw for a reference file: facetag's own decoder at full size, EXIF
// orientation ignored as the peer does (its JPEG decoder gives the same bytes on these photos).
// Fails the calling test when the file cannot be decoded.
Image LoadReferenceImage(const std::string& file);

// Each face of `want` paired with the face of `got` that overlaps it most and is not yet taken
// (the parity rule's pairing): `got` index and IoU, in `want`'s order. Sizes must match.
struct FacePairing {
  size_t got = 0;
  float iou = 0;
};
std::vector<FacePairing> PairByOverlap(const std::vector<Face>& want, const std::vector<Face>& got);

}  // namespace facetag::testing
