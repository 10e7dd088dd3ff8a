// Where the converted model files live.
#pragma once

#include <filesystem>

namespace facetag {

// The face-api package version whose converted nets facetag uses.
inline constexpr const char* kFaceApiVersion = "1.7.15";

// $FACETAG_MODEL_DIR, else $XDG_CACHE_HOME/facetag/models/face-api-<version>
// (XDG_CACHE_HOME defaults to ~/.cache). scripts/setup.sh fills it.
std::filesystem::path DefaultModelDir();

}  // namespace facetag

namespace facetag {

// The unpacked npm package (its demo/ photos serve as samples): $FACETAG_FACEAPI_PACKAGE_DIR, else
// $XDG_CACHE_HOME/facetag/npm/face-api-<version>/package.
std::filesystem::path DefaultFaceApiPackageDir();

}  // namespace facetag
