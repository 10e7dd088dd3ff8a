// Portable names: people's names in XMP, where other photo tools read them (digiKam, Lightroom,
// darktable, exiftool), as Metadata Working Group (MWG) face regions plus keywords.
//
// Writing (facetag xmp --write) goes to a sidecar beside the photo, never into the photo: the
// photo's bytes, and so its content hash and its place in the catalog, do not change.
// Reading (facetag index) takes the regions of a photo's sidecar, else of the XMP embedded in
// the photo: a detected face that overlaps a named region gets that name, as a user assignment.
//
// Coordinates are those of the photo as displayed (EXIF orientation applied), as facetag's
// boxes are; MWG areas are normalised (0..1) and centre-based.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "facetag/catalog.h"
#include "facetag/face.h"
#include "facetag/status.h"

namespace facetag {

// A named face region, in the photo's pixels.
struct NamedRegion {
  std::string name;
  Box box;
};

// The sidecar of `photo`: `photo.jpg.xmp` (digiKam's and darktable's name, and one that two
// photos differing only in extension cannot share), unless only `photo.xmp` (exiftool's and
// Lightroom's name) exists, which is then the one read and updated.
std::filesystem::path SidecarPath(const std::filesystem::path& photo);

// The named face regions (mwg-rs:Type Face, a non-empty mwg-rs:Name, a normalised area) of the
// photo's sidecar if it has any, else of the XMP embedded in the photo; `width` x `height` is the
// photo's displayed size. No XMP, or a photo type Exiv2 does not read: empty. kCorrupt for a
// sidecar that is not XMP.
Result<std::vector<NamedRegion>> ReadNamedRegions(const std::filesystem::path& photo, int width, int height);

struct SidecarUpdate {
  int width = 0, height = 0;         // the photo's displayed size (mwg-rs:AppliedToDimensions)
  std::vector<NamedRegion> regions;  // the names to write
  bool digikam_tags = false;         // also digiKam:TagsList "People/<name>"
};

struct SidecarOutcome {
  std::filesystem::path sidecar;
  bool created = false;    // there was no sidecar before
  int kept_regions = 0;    // other regions of the sidecar left in place
  int added_keywords = 0;  // names added to dc:subject
};

// Merges `update` into the photo's sidecar: every other field stays; a face region that
// overlaps one of ours or carries one of our names is replaced by ours, other regions stay;
// names are added to dc:subject (never removed). Written to a temporary file and renamed over
// the sidecar, so a crash leaves the old sidecar or the new one.
Result<SidecarOutcome> UpdateSidecar(const std::filesystem::path& photo, const SidecarUpdate& update);

// Intersection over union of two boxes: how well a region and a detected face agree.
float BoxOverlap(const Box& a, const Box& b);

// --- With the catalog ---------------------------------------------------------------------

// Regions drawn by hand are looser than the detector's boxes (hair, chin): this much overlap
// (intersection over union) is one face.
inline constexpr float kRegionMatchOverlap = 0.3f;

struct RegionNamesOutcome {
  int named_faces = 0;        // faces that took a region's name
  int created_people = 0;     // names no person had yet
  int unmatched_regions = 0;  // no detected face overlaps them enough
  int ambiguous_names = 0;    // several people have that name: left for the user
};

// Gives faces of the catalogued photo `photo_id` the names of the regions they overlap (best
// overlap first, one region per face): the face moves to the one person with that name (case
// ignored), or to a new person of that name. A move is a user correction, undone like any other
// (`facetag move`, `unassign`).
Result<RegionNamesOutcome> ApplyRegionNames(Catalog& catalog, int64_t photo_id,
                                            const std::vector<NamedRegion>& regions);

// What `facetag xmp` writes for one photo: its named, visible people.
struct SidecarPlan {
  PhotoRecord photo;
  std::vector<NamedRegion> regions;
};

struct SidecarSelection {
  std::vector<std::filesystem::path> roots;  // photos under these (files or folders); empty: all
  int64_t person_id = 0;                     // only photos showing this person; 0: any
};

// Photos (status ok, by path) with at least one face of a named person who is not hidden.
Result<std::vector<SidecarPlan>> PlanSidecars(Catalog& catalog, const SidecarSelection& selection);

}  // namespace facetag
