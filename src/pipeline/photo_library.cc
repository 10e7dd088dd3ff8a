// One analysis for every way a photo enters the library, and the words the catalog records it by.
#include <string>

#include "facetag/engine.h"
#include "facetag/models.h"

namespace facetag {

PhotoPipelineOptions ForPhotoLibrary(PhotoPipelineOptions base) {
  base.engine.fit_detector_to_image = false;
  base.engine.retry_small_images_in_border = true;
  return base;
}

std::string DescribeAnalysis(const PhotoPipelineOptions& options) {
  const EngineOptions& e = options.engine;
  std::string words = e.detector == DetectorKind::kTiny ? "tiny detector (416x416, min score 0.5)"
                                                        : "ssd detector (512x512, min score 0.5)";
  if (e.fit_detector_to_image) words += " fitted to each image";
  if (e.precision == InferencePrecision::kInt8) words += " in int8";
  if (e.retry_small_images_in_border) words += ", small photos searched in a border";
  words += options.decode.min_long_side > 0
               ? ", JPEG decoded down to " + std::to_string(options.decode.min_long_side) + " px"
               : ", decoded at full size";
  return words + ", face-api " + kFaceApiVersion + " models";
}

}  // namespace facetag
