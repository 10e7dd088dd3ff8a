// Reference outputs that face-api.js itself produced (scripts/make-*-reference.sh), and where
// the photos they name live on this machine.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "facetag/face.h"

namespace facetag::testing {

struct ReferencePhoto {
  std::string file;  // "faces-bbt/bbt1.jpg" or "face-api/demo/sample1.jpg"
  std::vector<Face> faces;
};

// Reads tests/data/reference/<name> (JSON lines as the peer prints them).
std::vector<ReferencePhoto> LoadReference(const std::string& name);

// "faces-bbt/..." under the shared data folder, "face-api/..." under the npm package.
std::filesystem::path ResolveReferenceFile(const std::string& file);

}  // namespace facetag::testing
