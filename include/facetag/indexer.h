// The indexer: brings a photo library (folders, recursively) into the catalog, incrementally.
//
// Per file, cheapest test first:
//  1. path, size and mtime as catalogued: unchanged, skipped without reading it;
//  2. else the file is read once and hashed (sha256 of its bytes); content already catalogued
//     (a move, a rename, a copy, a touch): the path is recorded, faces and names are kept;
//  3. else it is decoded and analysed, and its faces stored. A file that cannot be read or
//     decoded is recorded as failed with the reason; it is retried when it changes.
// Files catalogued under a scanned root but no longer found there are marked missing (faces and
// names kept until they come back). New faces are then grouped: they join existing people or
// form new ones (GroupCatalog, incremental).
//
// Crash safety and concurrency: worker threads read, hash, decode and run the nets; the calling
// thread is the only catalog writer and commits each photo, in one transaction, as soon as its
// result arrives. Killing the process loses only the photos in flight, never half a photo; the
// next run picks up where it stopped. Other processes can read the catalog meanwhile.
// Memory stays flat however large the library: files go through in chunks, results are written
// and dropped one by one, never collected.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "facetag/catalog.h"
#include "facetag/engine.h"
#include "facetag/people.h"
#include "facetag/remote_analyzer.h"
#include "facetag/status.h"

namespace facetag {

// What the indexer takes for a photo, by file name extension (case-insensitive).
bool IsPhotoFileName(const std::filesystem::path& file);

// One root's photo files. Roots and files are absolute and lexically normal, as the catalog
// compares paths as strings; in object storage they are s3://BUCKET/KEY URLs.
struct ScannedRoot {
  std::string root;
  std::vector<std::string> files;  // sorted
  // Beside `files` when the listing told each one's size and modification time (object storage:
  // an object's Size and LastModified); empty for folders, whose files are stat'ed when indexed.
  std::vector<FileStat> stats;
  Status status;  // not ok: the root could not be scanned (and `files` is empty)
};

// Walks `root` (a folder, recursively, or a single photo file) for photo files. Hidden entries
// (names starting with '.') are skipped, and so is all beneath a hidden folder: thumbnails,
// caches and trash live there. Symbolic links to folders are not followed (no cycles).
// s3://BUCKET/PREFIX lists the objects under PREFIX/ in an S3-compatible store instead
// (docs/STORAGE.md): the same rules, by key.
ScannedRoot ScanRoot(const std::filesystem::path& root);

struct IndexOptions {
  // Taken as ForPhotoLibrary(pipeline) (facetag/engine.h): every indexer analyses alike.
  PhotoPipelineOptions pipeline;
  GroupingOptions grouping;
  // Group the new faces into people once the files are in (the CLI always does).
  bool group_after = true;
  // Files stat-checked and then analysed together; bounds what the indexer holds at once.
  size_t chunk_files = 256;
  // Names from MWG face regions (the photo's XMP sidecar, else its embedded XMP, see
  // facetag/xmp.h): when a photo's faces are stored, a face that overlaps a named region is
  // moved to the person of that name (a user correction). Only then: a later edit of the
  // sidecar is not read until the photo changes.
  bool names_from_xmp = true;
  // The cluster's workers (facetag/remote_analyzer.h), or null. While it is available (asked
  // per chunk), only the analysis of new content goes to it, up to its capacity() at once; the
  // indexer still scans, reads, hashes, recognises known content, reads XMP names and commits
  // in order, here. A request no node answers is asked again and, after a few tries, analysed
  // here: an unreachable worker is never the photo's failure.
  std::shared_ptr<RemoteAnalyzer> remote;
};

struct IndexProgress {
  enum class Phase { kScanning, kIndexing, kGrouping, kDone };
  Phase phase = Phase::kScanning;
  int64_t files_done = 0, files_total = 0;
  int64_t faces_found = 0;  // in the files analysed so far
  double elapsed_s = 0;     // since indexing started
  double files_per_s = 0;
  double eta_s = -1;  // -1: not known yet
};

using IndexProgressCallback = std::function<void(const IndexProgress&)>;

struct IndexFailure {
  std::string path;
  std::string error;
};

struct IndexSummary {
  int64_t files = 0;          // photo files found under the roots (each counted once)
  int64_t unchanged = 0;      // same path, size and mtime as catalogued: not even read
  int64_t known_content = 0;  // read and hashed, content already catalogued: path recorded
  int64_t analyzed = 0;       // decoded and run through the nets (or failed trying)
  int64_t added = 0;          // of the analysed: new photos
  int64_t replaced = 0;       // of the analysed: a changed file, or a retry of a failed one
  int64_t failed = 0;         // of the analysed: could not be read or decoded
  int64_t no_face = 0;        // of the analysed: decoded, but no face found in it
  int64_t faces_added = 0;
  int64_t xmp_named_faces = 0;  // faces named from MWG regions (names_from_xmp)
  int64_t missing = 0;          // catalogued files under the roots found gone in this run
  // Every file under the roots whose catalogued state is failed after this run (new failures
  // and unchanged files that failed before), and every root that could not be scanned.
  std::vector<IndexFailure> failures;
  // The analysis settings of this run (DescribeAnalysis), and the catalog's own when this run
  // analysed photos with other ones (then the catalog mixes two analyses: a warning).
  std::string analysis;
  std::string catalog_analysis_differs;
  bool grouped = false;
  GroupingReport grouping;
  double seconds = 0;
};

// The summary as `facetag index --json` and the service's GET /index show it: every count, and
// the failures with their reasons.
nlohmann::json IndexSummaryToJson(const IndexSummary& summary);
// A grouping's report as `facetag group --json` and the service's GET /group show it.
nlohmann::json GroupingReportToJson(const GroupingReport& report);
// When this run analysed photos with other settings than the catalog's: a sentence saying so
// (the summary's "analysis_warning"); else empty.
std::string AnalysisWarning(const IndexSummary& summary);

// Indexes `roots` into `catalog`. Fails only when the catalog or the face engine fails (the
// photos stored until then stay); a file or root that fails is reported in the summary.
// The face engine is started only if some file needs analysing, so a run over an unchanged
// library does not load the nets.
Result<IndexSummary> IndexLibrary(Catalog& catalog, const std::vector<std::filesystem::path>& roots,
                                  const IndexOptions& options = {},
                                  const IndexProgressCallback& progress = {});

}  // namespace facetag
