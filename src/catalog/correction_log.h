// The correction log behind undo: each correction saves the rows it is about to change, and
// undo writes them back. Saving rows (not inverse operations) keeps undo exact for every kind of
// correction, including what a correction does on the side (pinning, dropping empty persons).
#pragma once

#include <string>
#include <vector>

#include "catalog/sqlite.h"
#include "facetag/status.h"

namespace facetag::catalog_internal {

// The rows a correction may change, read before it changes them.
struct Before {
  std::string kind, summary;
  std::vector<int64_t> persons;  // read as they are; those missing now are ignored
  std::vector<int64_t> faces;
  std::string json;  // filled by Snapshot
};

// Reads the persons, the faces and every rejection of either into `before.json`.
Status Snapshot(sql::Connection& db, Before& before);
// Logs the correction (after it ran, in its transaction): `created` are persons it made; the
// persons of the snapshot that are gone now are recorded as removed by it; `drawn` are faces it
// added (undo deletes them). Keeps kUndoDepth rows.
Status LogCorrection(sql::Connection& db, const Before& before, const std::vector<int64_t>& created,
                     const std::vector<int64_t>& drawn = {});

}  // namespace facetag::catalog_internal
