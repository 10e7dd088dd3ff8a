// Face crops: one JPEG per face of the catalog, named by its face id (`<id>.jpg`), for training
// sets, audits or other tools. Into a folder or into S3-compatible storage (s3://BUCKET/PREFIX,
// docs/STORAGE.md). A crop is the face's box widened by a margin on each side (clipped to the
// photo), at the photo's full resolution, in the orientation the photo is displayed in.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "facetag/catalog.h"
#include "facetag/status.h"

namespace facetag {

struct FaceCropOptions {
  double margin = 0.2;  // of the box's width and height, added on each side
  int jpeg_quality = 90;
};

struct FaceCropFailure {
  std::string path;  // the photo
  std::string error;
};

struct FaceCropsReport {
  int64_t crops = 0;                      // written
  int64_t photos = 0;                     // read to write them
  std::vector<FaceCropFailure> failures;  // photos that could not be read or decoded; their faces are skipped
};

// Writes every face of every photo that is not missing or failed. Fails as a whole only when the
// destination cannot be written (a crop already written stays: each is complete, written under
// a temporary name and renamed, or PUT whole).
Result<FaceCropsReport> WriteFaceCrops(Catalog& catalog, const std::string& destination,
                                       const FaceCropOptions& options = {});

}  // namespace facetag
