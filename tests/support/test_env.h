// Where tests find the converted models and their photos. The photos are in the repository
// (tests/data); the models come from set-up, and a test fails, never skips, when they are missing.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "facetag/models.h"
#include "facetag/status.h"

namespace facetag::testing {

inline std::filesystem::path SourceDir() { return FACETAG_SOURCE_DIR; }

// tests/data: the faces-bbt photos (tests/data/README.md) and the reference outputs.
inline std::filesystem::path TestDataDir() { return SourceDir() / "tests" / "data"; }

// 40 labelled face crops of 8 people and 5 group photos of them.
inline std::filesystem::path BbtDir() { return TestDataDir() / "faces-bbt"; }

// The converted models; fails the calling test when they are not there.
// The converted models' folder, without judging it (for a SetUpTestSuite: see SuiteSetUpError).
inline std::filesystem::path ModelDirUnchecked() { return DefaultModelDir(); }

// Why a test suite's shared set-up failed ("" when it did not). GoogleTest skips every test of a
// suite whose SetUpTestSuite records a failure, and ctest counts skipped tests as passing, so a
// broken set-up would go unnoticed: suites keep the reason here and each test's SetUp fails
// with it (FACETAG_ASSERT_SUITE_SET_UP).
inline std::string SuiteSetUpError(const std::string& what, const Status& status) {
  return status.ok() ? "" : what + ": " + status.ToString();
}
#define FACETAG_ASSERT_SUITE_SET_UP(error)   \
  do {                                       \
    ::facetag::testing::ModelDirOrFail();    \
    ASSERT_TRUE((error).empty()) << (error); \
  } while (0)

inline std::filesystem::path ModelDirOrFail() {
  const auto dir = DefaultModelDir();
  if (!std::filesystem::exists(dir / "face_recognition.onnx")) {
    ADD_FAILURE() << "converted models missing in " << dir
                  << " (run scripts/setup.sh or set FACETAG_MODEL_DIR)";
  }
  return dir;
}

}  // namespace facetag::testing
