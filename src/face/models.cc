#include "facetag/models.h"

#include <cstdlib>

namespace facetag {

namespace {

std::filesystem::path CacheDir() {
  std::filesystem::path cache;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
    cache = xdg;
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    cache = std::filesystem::path(home) / ".cache";
  } else {
    cache = std::filesystem::temp_directory_path();
  }
  return cache / "facetag";
}

}  // namespace

std::filesystem::path DefaultModelDir() {
  if (const char* dir = std::getenv("FACETAG_MODEL_DIR"); dir && *dir) return dir;
  return CacheDir() / "models" / (std::string("face-api-") + kFaceApiVersion);
}

std::filesystem::path DefaultFaceApiPackageDir() {
  if (const char* dir = std::getenv("FACETAG_FACEAPI_PACKAGE_DIR"); dir && *dir) return dir;
  return CacheDir() / "npm" / (std::string("face-api-") + kFaceApiVersion) / "package";
}

}  // namespace facetag
