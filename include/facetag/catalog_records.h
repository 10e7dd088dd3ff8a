// The catalog's records: photos, faces, persons and what queries return, as plain values. What
// code that only passes records around needs, without the Catalog class (facetag/catalog.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "facetag/face.h"
#include "facetag/status.h"

namespace facetag {

// What the catalog keys a file's "unchanged" check on (the indexer stats files, an object
// listing tells them): here, below the catalog, because PhotoInput carries it.
struct FileStat {
  int64_t size = 0;
  int64_t mtime_ns = 0;  // modification time, nanoseconds since the Unix epoch
};

enum class PhotoStatus { kOk, kFailed, kMissing };
enum class Assignment { kAuto, kUser };
const char* PhotoStatusName(PhotoStatus status);  // "ok", "failed", "missing"

// Person names, wherever they are typed (CLI, HTTP API): valid UTF-8, at most
// kMaxPersonNameChars characters, no control characters, not all digits (a number is an id).
// InvalidArgument saying which rule broke.
inline constexpr size_t kMaxPersonNameChars = 200;
Status ValidatePersonName(std::string_view name);

struct PhotoRecord {
  int64_t id = 0;
  std::string content_hash;  // empty when the file could not even be read
  std::string path;          // where it was last seen (a copy may live at other paths too)
  int64_t size = 0;
  int64_t mtime_ns = 0;
  int width = 0, height = 0;
  PhotoStatus status = PhotoStatus::kOk;
  std::string error;         // why it failed; kept while missing
  int64_t indexed_at = 0;    // Unix seconds of the last processing
  std::string processed_by;  // the cluster worker that analysed it; empty: this machine
};

// One file's outcome, as the indexer hands it over.
struct PhotoInput {
  std::string path;  // absolute and normalized: the catalog compares paths as strings
  FileStat stat;
  std::string content_hash;  // HashFile(path); empty only with status kFailed (unreadable)
  int width = 0, height = 0;
  PhotoStatus status = PhotoStatus::kOk;  // kOk or kFailed
  std::string error;                      // with kFailed
  std::string processed_by;               // cluster worker's name; empty: processed locally
};

struct FaceRecord {
  int64_t id = 0;
  int64_t photo_id = 0;
  int ordinal = 0;        // position in the photo's face list as detected
  Face face;              // landmarks and embedding filled only where a method says so
  int64_t person_id = 0;  // 0: nobody
  Assignment assignment = Assignment::kAuto;
  bool drawn = false;  // drawn by the user (AddDrawnFace), not found by the detector
};

struct AddPhotoOutcome {
  enum class Kind {
    kAdded,         // new content: photo and faces stored
    kReplaced,      // the path's content changed: its old faces were replaced
    kKnownContent,  // content already catalogued (move, copy or retry): path recorded, faces kept
  };
  Kind kind = Kind::kAdded;
  int64_t photo_id = 0;
  int faces_added = 0;
};

struct PersonRecord {
  int64_t id = 0;
  std::string name;  // empty: unnamed
  bool hidden = false;
  bool pinned = false;  // touched by the user: grouping keeps its faces and id
};

struct PersonSummary {
  PersonRecord person;
  int64_t face_count = 0;
  int64_t photo_count = 0;
  // The best-scoring face, to show: 0 / empty when the person has no faces.
  int64_t sample_face_id = 0;
  int64_t sample_photo_id = 0;
  std::string sample_path;
  Box sample_box;
  // The person's most recently catalogued face (face ids only grow): what "recently added" sorts by.
  int64_t newest_face_id = 0;
};

// The people page's question: who, in which order. Unnamed persons have no name to match.
enum class PersonSort { kFaces, kName, kRecent };
enum class PersonFilter { kAll, kNamed, kUnnamed };
struct PersonQuery {
  // Part of the name, case and accents ignored ("zoe" finds "Zoë"); all digits: the person's id.
  std::string text;
  PersonSort sort =
      PersonSort::kFaces;  // faces: most first; name: A-Z, unnamed last; recent: newest face first
  PersonFilter filter = PersonFilter::kAll;
  bool include_hidden = false;
};
// "faces", "name", "recent" / "all", "named", "unnamed"; nullopt for anything else.
std::optional<PersonSort> ParsePersonSort(std::string_view text);
std::optional<PersonFilter> ParsePersonFilter(std::string_view text);

// Several faces corrected at once (the person page's bulk actions): one transaction, one undo.
struct FaceBatch {
  enum class Action {
    kMove,      // to person_id (0: one new, unnamed person for all of them)
    kReject,    // "not person_id": each leaves it and never returns to it
    kUnassign,  // "not a face": nobody's, and grouping leaves them alone
  };
  Action action = Action::kMove;
  std::vector<int64_t> face_ids;
  int64_t person_id = 0;
};

// Another person seen with the asked-for one, with the number of photos they share.
struct Companion {
  PersonRecord person;
  int64_t shared_photos = 0;
};

struct ExportFace {
  int64_t id = 0;
  Box box;
  float score = 0;        // the detector's confidence
  int64_t person_id = 0;  // 0: nobody
};
struct ExportPhoto {
  PhotoRecord photo;
  std::string taken;  // EXIF date and time "YYYY-MM-DDTHH:MM:SS" when the catalog has it
  std::vector<ExportFace> faces;
};
// The timeline: photos by when they were taken, newest first.
struct TimelineKey {
  std::string taken;  // "YYYY-MM-DDTHH:MM:SS"
  int64_t photo_id = 0;
};
struct TimelinePhoto {
  PhotoRecord photo;
  TimelineKey key;
  bool taken_from_exif = false;  // false: the file's modification time (UTC)
  int64_t face_count = 0;
};
enum class TimelineDirection {
  kOlder,  // after the key, newest first: the next page
  kNewer,  // before the key, oldest first: the page before (the caller reverses it to show)
};

struct CatalogExport {
  std::vector<ExportPhoto> photos;   // by path
  std::vector<PersonRecord> people;  // by id
};

// What a language model said about a photo (facetag annotate).
struct PhotoAnnotation {
  int64_t photo_id = 0;
  std::string content_hash;  // the photo's content when it was annotated
  std::string context_hash;  // what the prompt said about it (names, date, place), hashed
  std::string caption;
  std::vector<std::string> tags;
  std::string model;
  int64_t annotated_at = 0;  // Unix seconds
};

// One undoable correction (the correction log, newest first in RecentCorrections).
struct CorrectionEntry {
  int64_t id = 0;
  std::string kind;     // "name", "hide", "merge", "move", "reject", "unassign", "different" or "draw"
  std::string summary;  // what it did: "named person 12 \"Raj\"", "merged person 14 into 12"
  int64_t made_at = 0;  // Unix seconds
};
// How many corrections can be undone: the log keeps the newest ones only.
inline constexpr int kUndoDepth = 10;

// What PurgePhoto removed from the catalog.
struct PurgedPhoto {
  PhotoRecord photo;
  std::vector<std::string> paths;         // every path it was catalogued at
  std::vector<int64_t> face_ids;          // its faces, gone with their descriptors
  std::vector<int64_t> persons_affected;  // who had faces in it
  std::vector<int64_t> persons_removed;   // of those, the unnamed ones left with no face
};

}  // namespace facetag
