#include "nets.h"

namespace facetag::convert {

Status ConvertSsdMobilenetV1(const std::filesystem::path&, const std::filesystem::path&) {
  return Unsupported("not written yet");
}

}  // namespace facetag::convert
