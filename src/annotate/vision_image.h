// The photo as a vision model gets it: downscaled so its long side is at most `max_side`, JPEG,
// base64 in a data URL (the OpenAI image_url content part).
#pragma once

#include <string>

#include "facetag/image.h"
#include "facetag/status.h"

namespace facetag::annotate_internal {

Result<std::string> JpegDataUrl(const Image& image, int max_side, int quality = 85);

}  // namespace facetag::annotate_internal
