// Forgetting one photo everywhere facetag keeps something of it: `facetag purge` and
// `DELETE /api/v1/photos/{id}` are both this call. The photo file in the user's library is
// theirs and stays; indexing its folder again brings it back as a new photo.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "facetag/catalog.h"
#include "facetag/status.h"

namespace facetag {

// Where the service keeps the photos uploaded to register faces: <catalog folder>/uploads.
std::filesystem::path UploadsDir(const std::filesystem::path& catalog);

struct PurgeReport {
  PurgedPhoto purged;                                  // what left the catalog (Catalog::PurgePhoto)
  std::vector<std::filesystem::path> uploads_removed;  // files of this content under UploadsDir
};

// Forgets the photo (Catalog::PurgePhoto: its faces and descriptors, paths, annotation, EXIF,
// unnamed people left with no face) and deletes the uploaded copies of its content. Caches of
// a running service (thumbnails, known faces) are the caller's: the service drops them itself.
// NotFound for an unknown id; the catalog is changed before files are deleted, so a failure
// to delete leaves an orphan file, never a photo pointing at no file.
Result<PurgeReport> PurgePhoto(Catalog& catalog, int64_t photo_id);

// A photo argument: digits are an id (unless a file of that name exists), anything else a
// path, made absolute and lexically normal as the catalog stores paths.
Result<int64_t> ResolvePhoto(Catalog& catalog, const std::string& arg);

}  // namespace facetag
