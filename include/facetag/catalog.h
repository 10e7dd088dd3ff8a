// The photo library: a SQLite catalog of photos (by content), the files they live at, the faces
// found in them and the people those faces belong to, with the user's corrections.
//
// Identity rules:
//  - A photo is its content (sha256 of the file bytes). The same content at a new path is a move
//    or a copy: the path is recorded, the faces (and so the names on them) are kept.
//  - A path whose content changed is re-processed: that photo's faces are replaced.
//  - A file no longer found under a scanned root is marked missing, never forgotten: its faces
//    and names come back when it does.
//  - Faces carry an assignment: `auto` (grouping put it there, and may move it) or `user` (the
//    user put it there, or took it out of every person; grouping never touches it).
//  - A person the user has touched (named, hidden, merged, moved or rejected a face) is pinned:
//    re-grouping keeps its faces together and its id, so a name never leaves its faces.
//
// One Catalog is one SQLite connection: use it from one thread at a time, and open one per
// thread or process. Readers work while a writer writes (WAL); writers wait for each other
// (busy timeout). Every write method is one transaction: after a crash, all of it or none.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "facetag/content_hash.h"
#include "facetag/events.h"
#include "facetag/face.h"
#include "facetag/image.h"
#include "facetag/status.h"

namespace facetag {

// $FACETAG_DB, else $XDG_DATA_HOME/facetag/catalog.db (XDG_DATA_HOME defaults to ~/.local/share).
std::filesystem::path DefaultCatalogPath();

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

// What grouping reads about one face (its embedding is passed alongside).
struct GroupingFaceRow {
  int64_t face_id = 0;
  int64_t photo_id = 0;
  // Stable across catalogs: the first 64 bits of the photo's content hash and the face's
  // ordinal, so a re-group does not depend on the order photos arrived in (face ids do).
  uint64_t photo_key = 0;
  int ordinal = 0;
  int64_t person_id = 0;
  Assignment assignment = Assignment::kAuto;
};

struct FaceRejection {
  int64_t face_id = 0;
  int64_t person_id = 0;
};

// Grouping's result, written in one transaction. Only faces with an `auto` assignment are
// changed; persons referred to by negative numbers -1..-new_persons are created.
struct AssignmentPlan {
  // From CorrectionsVersion() when the input was read: if the user corrected something
  // meanwhile, the plan is refused (ApplyAssignments returns false) and grouping re-runs.
  int64_t corrections_version = 0;
  int new_persons = 0;
  struct Change {
    int64_t face_id = 0;
    int64_t person = 0;  // > 0 an existing person, < 0 a new one, 0 nobody
  };
  std::vector<Change> changes;
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

struct CatalogOptions {
  int busy_timeout_ms = 10000;  // how long a writer waits for another one
};

class Catalog {
 public:
  // Creates the file, its folder and the schema, or upgrades an older schema. An existing
  // catalog that this process cannot write (file or folder not writable, read-only mount) is
  // opened read-only instead: reading works, every write fails (see read_only()).
  static Result<std::unique_ptr<Catalog>> Open(const std::filesystem::path& path,
                                               const CatalogOptions& options = {});
  ~Catalog();
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Why the catalog was opened read-only ("its folder ... is not writable"); empty when writable.
  const std::string& read_only() const { return read_only_; }
  static int LatestSchemaVersion();
  Result<int> SchemaVersion();

  // --- Indexing ---------------------------------------------------------------------------
  // The photo at `path` if it is known with exactly this size and mtime: an unchanged file,
  // to skip without hashing.
  Result<std::optional<PhotoRecord>> FindByPathAndStat(const std::string& path, const FileStat& stat);
  Result<std::optional<PhotoRecord>> FindByHash(const std::string& content_hash);
  // Stores one file's outcome and its faces (in detection order) atomically. Known content
  // keeps its faces (kKnownContent) unless its earlier processing had failed.
  Result<AddPhotoOutcome> AddPhotoResult(const PhotoInput& photo, const std::vector<Face>& faces);
  // Known content found at `path` (FindByHash hit): a move or a copy. Faces stay as they are.
  Status RecordPath(int64_t photo_id, const std::string& path, const FileStat& stat);
  // Every catalogued file under `root` (a folder, or a single file) that is not in
  // `seen_paths` is gone: forgotten if its photo lives at another path, else the photo is
  // marked missing (faces and names kept). Returns how many photos became missing.
  Result<int64_t> MarkMissing(const std::string& root, const std::vector<std::string>& seen_paths);

  // The words for the settings the catalog's photos were analysed with (DescribeAnalysis in
  // facetag/engine.h), as the first index that analysed a photo recorded them; empty when none
  // are recorded (a new catalog, or one indexed before they were).
  Result<std::string> AnalysisSettings();
  Status RecordAnalysisSettings(const std::string& words);

  // --- Reading ----------------------------------------------------------------------------
  Result<PhotoRecord> GetPhoto(int64_t photo_id);
  Result<std::vector<PhotoRecord>> FailedPhotos();
  // With landmarks and embeddings.
  Result<std::vector<FaceRecord>> FacesOfPhoto(int64_t photo_id);
  Result<FaceRecord> GetFace(int64_t face_id);
  Result<PersonRecord> GetPerson(int64_t person_id);
  // How far the face's embedding lies from the mean of its person's other faces (Euclidean, the
  // measure grouping and the review queue use): how sure an automatic grouping was. nullopt
  // when the face has no person or the person no other face.
  Result<std::optional<float>> DistanceToOwnPerson(int64_t face_id);
  Result<std::vector<PersonRecord>> FindPersonsByName(const std::string& name);
  // Persons with their face counts, most faces first; hidden ones only when asked.
  Result<std::vector<PersonSummary>> ListPersons(bool include_hidden = false);
  // The persons matching `query`, in its order (ties: lower id first).
  Result<std::vector<PersonSummary>> FindPersons(const PersonQuery& query);
  // Photos in which every one of `person_ids` appears, by path.
  Result<std::vector<PhotoRecord>> PhotosWithAll(const std::vector<int64_t>& person_ids);
  // Who appears with `person_id`, most shared photos first (ties: lower id first).
  Result<std::vector<Companion>> Together(int64_t person_id);
  Result<CatalogExport> Export();
  struct Counts {
    int64_t photos = 0, failed = 0, missing = 0, faces = 0, assigned_faces = 0, people = 0;
  };
  Result<Counts> GetCounts();

  // --- The timeline -------------------------------------------------------------------------
  // Photos that are not failed, by (taken, id), from `from` (exclusive; none: the newest or the
  // oldest end) in `direction`, at most `limit`. Each page is a walk down one index.
  Result<std::vector<TimelinePhoto>> Timeline(const std::optional<TimelineKey>& from,
                                              TimelineDirection direction, int limit);
  // One photo's place on the timeline (NotFound for an unknown id).
  Result<TimelinePhoto> TimelineEntry(int64_t photo_id);

  // --- Annotations and EXIF facts (facetag annotate) ---------------------------------------
  // Photos with status ok, by id: what annotate may look at.
  Result<std::vector<PhotoRecord>> PhotosToDescribe();
  // Replaces the photo's annotation (one transaction: a kill never leaves half of one).
  Status SetAnnotation(const PhotoAnnotation& annotation);
  // The photo's annotation, if it has one, whatever content it was made for.
  Result<std::optional<PhotoAnnotation>> GetAnnotation(int64_t photo_id);
  // Photos whose caption or tags hold every one of `words` (as word prefixes, case and accents
  // ignored; SQLite FTS5), best match first. Only annotations of the photo's current content.
  Result<std::vector<PhotoRecord>> SearchPhotosByText(const std::string& words);
  // EXIF facts read from the photo's content `content_hash`.
  Status SetPhotoExif(int64_t photo_id, const std::string& content_hash, const PhotoExif& exif);
  // The facts, if they were read from the photo's current content.
  Result<std::optional<PhotoExif>> GetPhotoExif(int64_t photo_id);

  // --- Grouping's view --------------------------------------------------------------------
  // Calls `visit` for every face, in face id order, inside one read snapshot. Returns the
  // corrections version of that snapshot (see AssignmentPlan).
  Result<int64_t> ForEachGroupingFace(
      const std::function<void(const GroupingFaceRow&, std::span<const float> embedding)>& visit,
      std::vector<FaceRejection>* rejections, std::vector<PersonRecord>* persons);
  Result<int64_t> CorrectionsVersion();
  // false (nothing written): the plan is stale, because the user corrected something or a
  // person it refers to went away since the input was read; read and cluster again.
  Result<bool> ApplyAssignments(const AssignmentPlan& plan);

  // --- Corrections (each pins the persons it touches) -------------------------------------
  // Empty name: unnamed. Names are checked with ValidatePersonName.
  Status NamePerson(int64_t person_id, const std::string& name);
  Status HidePerson(int64_t person_id, bool hidden = true);
  // Moves every face of ids[1..] to ids[0] (keeping each face's assignment) and deletes them;
  // ids[0] keeps its name, or takes the first name found among the others.
  Status MergePersons(const std::vector<int64_t>& person_ids);
  Status MoveFace(int64_t face_id, int64_t person_id);  // assignment becomes user
  // A new person (named `name`, checked with ValidatePersonName; empty: unnamed) with this face.
  Result<int64_t> MoveFaceToNewPerson(int64_t face_id, const std::string& name = "");
  // The face never returns to that person; if it is on it now, it leaves it.
  Status RejectFace(int64_t face_id, int64_t person_id);
  // The face belongs to nobody and grouping leaves it alone (assignment user, person none).
  Status UnassignFace(int64_t face_id);
  // Applies `batch` to every face or to none: NotFound naming every unknown face id (or the
  // person), InvalidArgument for an empty batch. One correction (one undo) for the whole batch.
  // Returns the person the faces went to (the new one when moved to person 0), else 0.
  Result<int64_t> CorrectFaces(const FaceBatch& batch);
  // Of `face_ids`, those the catalog does not know, in the order given.
  Result<std::vector<int64_t>> UnknownFaces(const std::vector<int64_t>& face_ids);
  // "Not the same person": the two are never suggested for merging again (SuggestMerges).
  Status MarkDifferentPersons(int64_t person_a, int64_t person_b);
  // The pairs so marked, each (lower id, higher id).
  Result<std::vector<std::pair<int64_t, int64_t>>> DifferentPersons();

  // --- Undo --------------------------------------------------------------------------------
  // Every correction above is logged with what it changed; the newest kUndoDepth can be undone,
  // newest first. Undo puts back the names, flags, faces and rejections the correction changed
  // (a person it removed comes back with its id; one it created goes) and returns what it
  // undid; NotFound "nothing to undo" when the log is empty.
  Result<std::vector<CorrectionEntry>> RecentCorrections();
  Result<CorrectionEntry> UndoLastCorrection();

  // --- Persons made by hand (the recognition service) -------------------------------------
  // A new, pinned person with this name (may be empty; checked with ValidatePersonName) and no
  // faces yet.
  Result<int64_t> CreatePerson(const std::string& name);
  // Adds `face` (with its embedding) to a catalogued photo as the person's, a user assignment:
  // registering a face the photo's earlier analysis did not find. Returns the face id.
  Result<int64_t> AddFaceForPerson(int64_t photo_id, const Face& face, int64_t person_id);
  // A face the user drew where the detector found none (box, landmarks and embedding described
  // by the engine): stored as drawn, belonging to nobody yet (grouping may group it), kept by
  // a re-analysis while its box lies inside the photo. An undoable correction ("draw"): undo
  // removes the face. InvalidArgument when the box is not inside the photo.
  Result<int64_t> AddDrawnFace(int64_t photo_id, const Face& face);
  // Forgets a photo: its row, its paths and its faces (the file itself is the caller's).
  Status ForgetPhoto(int64_t photo_id);
  // The photo catalogued at `path` (any of its paths, as stored: absolute, lexically normal).
  Result<std::optional<int64_t>> PhotoIdByPath(const std::string& path);
  // ForgetPhoto, saying what went, in one transaction: the photo, its paths, its faces with
  // their descriptors and rejections, its annotation and EXIF facts, and the unnamed persons it
  // leaves with no face (as grouping would). Named persons stay, with fewer faces or none, so
  // that the name is there when the photo is indexed again. NotFound for an unknown id.
  Result<PurgedPhoto> PurgePhoto(int64_t photo_id);
  // Forgets the person, every face assigned to it (with its descriptor) and its recognition
  // events. The photos stay.
  Status DeletePerson(int64_t person_id);

  // --- Recognition events (facetag/events.h) ----------------------------------------------
  // Stores the events (their ids are given here) in one transaction. An event naming a person
  // who no longer exists is dropped: a deleted person's events are gone, also those recognised
  // just before the deletion. Returns how many were stored.
  Result<int64_t> RecordEvents(const std::vector<RecognitionEvent>& events);
  // A page of the events matching `query`, by id (the order they were recorded).
  Result<EventPage> ListEvents(const EventQuery& query);
  Result<int64_t> CountEvents(const EventQuery& query);  // limit and cursor are ignored
  // Per day (days start at UTC + utc_offset_minutes) and person: first and last seen, count.
  Result<EventSummary> SummarizeEvents(const EventQuery& query, int utc_offset_minutes = 0);
  // Deletes at most `max_rows` events older than `before_ms`, in one short transaction so that
  // retention never holds the write lock for long. Returns how many went.
  Result<int64_t> DeleteEventsBefore(int64_t before_ms, int max_rows);

  struct Impl;

 private:
  explicit Catalog(std::unique_ptr<Impl> impl, std::filesystem::path path);
  std::unique_ptr<Impl> impl_;
  std::filesystem::path path_;
  std::string read_only_;
};

}  // namespace facetag
