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
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "facetag/catalog_records.h"
#include "facetag/content_hash.h"
#include "facetag/events.h"
#include "facetag/face.h"
#include "facetag/image.h"
#include "facetag/status.h"

namespace facetag {

// $FACETAG_DB, else $XDG_DATA_HOME/facetag/catalog.db (XDG_DATA_HOME defaults to ~/.local/share).
std::filesystem::path DefaultCatalogPath();

namespace catalog_internal {
struct ImplAccess;
}

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
  // The free functions of the catalog's other headers (grouping_io.h) reach the connection
  // through it (src/catalog/catalog_impl.h).
  friend struct catalog_internal::ImplAccess;
  explicit Catalog(std::unique_ptr<Impl> impl, std::filesystem::path path);
  std::unique_ptr<Impl> impl_;
  std::filesystem::path path_;
  std::string read_only_;
};

}  // namespace facetag
