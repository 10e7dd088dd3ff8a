// Where tests find the converted models and the shared data set. Both must exist: a test that
// silently skips when they are missing could never fail, so it fails instead.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "facetag/models.h"

namespace facetag::testing {

inline std::filesystem::path SharedDir() {
  if (const char* d = std::getenv("FACETAG_SHARED_DIR"); d && *d) return d;
  return FACETAG_DEFAULT_SHARED_DIR;  // ../shared beside the checkout, set by CMake
}

inline std::filesystem::path SourceDir() { return FACETAG_SOURCE_DIR; }

// The converted models; fails the calling test when they are not there.
inline std::filesystem::path ModelDirOrFail() {
  const auto dir = DefaultModelDir();
  if (!std::filesystem::exists(dir / "face_recognition.onnx")) {
    ADD_FAILURE() << "converted models missing in " << dir
                  << " (run scripts/setup.sh or set FACETAG_MODEL_DIR)";
  }
  return dir;
}

}  // namespace facetag::testing
