// Where tests find the converted models and their photos. The photos are in the repository
// (tests/data); the models come from set-up, and a test fails, never skips, when they are missing.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "facetag/models.h"

namespace facetag::testing {

inline std::filesystem::path SourceDir() { return FACETAG_SOURCE_DIR; }

// tests/data: the faces-bbt photos (tests/data/README.md) and the reference outputs.
inline std::filesystem::path TestDataDir() { return SourceDir() / "tests" / "data"; }

// 40 labelled face crops of 8 people and 5 group photos of them.
inline std::filesystem::path BbtDir() { return TestDataDir() / "faces-bbt"; }

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
