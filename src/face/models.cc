#include "facetag/models.h"

#include <cstdlib>

namespace facetag {

std::filesystem::path DefaultModelDir() {
  if (const char* dir = std::getenv("FACETAG_MODEL_DIR"); dir && *dir) return dir;
  std::filesystem::path cache;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
    cache = xdg;
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    cache = std::filesystem::path(home) / ".cache";
  } else {
    cache = std::filesystem::temp_directory_path();
  }
  return cache / "facetag" / "models" / (std::string("face-api-") + kFaceApiVersion);
}

}  // namespace facetag
