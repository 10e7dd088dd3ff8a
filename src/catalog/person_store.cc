// The user's corrections. Each one pins the persons it touches (grouping then keeps them
// whole, with their ids and names) and bumps the corrections version, so a grouping run that
// started before the correction cannot overwrite it.
#include <algorithm>

#include "catalog/catalog_impl.h"
#include "catalog/correction_log.h"
#include "catalog/face_store.h"
#include "facetag/text.h"

namespace facetag {

using namespace catalog_internal;

namespace {

Result<int64_t> PersonOfFace(sql::Connection& db, int64_t face_id) {
  auto q = sql::Statement::Prepare(db, "SELECT person_id FROM faces WHERE id = ?");
  FACETAG_RETURN_IF_ERROR(q.status());
  auto row = q->Bind(1, face_id).Step();
  FACETAG_RETURN_IF_ERROR(row.status());
  if (!*row) return NotFound("no face " + std::to_string(face_id));
  return q->IsNull(0) ? int64_t{0} : q->Int(0);
}

Status SetFacePerson(sql::Connection& db, int64_t face_id, int64_t person_id, Assignment assignment) {
  auto s = sql::Statement::Prepare(db, "UPDATE faces SET person_id = ?, assignment = ? WHERE id = ?");
  FACETAG_RETURN_IF_ERROR(s.status());
  return s->BindIdOrNull(1, person_id).Bind(2, AssignmentName(assignment)).Bind(3, face_id).Run();
}

Status DeleteRejection(sql::Connection& db, int64_t face_id, int64_t person_id) {
  auto s = sql::Statement::Prepare(db, "DELETE FROM face_rejections WHERE face_id = ? AND person_id = ?");
  FACETAG_RETURN_IF_ERROR(s.status());
  return s->Bind(1, face_id).Bind(2, person_id).Run();
}

// Starts logging a correction (for undo): the rows it may change, as they are now.
Result<Before> StartLog(sql::Connection& db, std::string kind, std::string summary,
                        std::vector<int64_t> persons, std::vector<int64_t> faces) {
  Before before{std::move(kind), std::move(summary), std::move(persons), std::move(faces), {}};
  FACETAG_RETURN_IF_ERROR(Snapshot(db, before));
  return before;
}

// Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive) on "\"" + name + "\"".
std::string Quoted(const std::string& name) {
  std::string out(1, '"');
  out += name;
  out += '"';
  return out;
}

// Finishes a correction: pin, bump, drop persons left empty, log it (after the clean-up, so the
// log knows which persons it removed), commit. `created`: persons the correction made.
Status Finish(sql::Connection& db, sql::Transaction& tx, const std::vector<int64_t>& touched,
              const Before* before = nullptr, const std::vector<int64_t>& created = {}) {
  for (int64_t id : touched) {
    if (id != 0) FACETAG_RETURN_IF_ERROR(PinPerson(db, id));
  }
  FACETAG_RETURN_IF_ERROR(BumpCorrectionsVersion(db));
  FACETAG_RETURN_IF_ERROR(DeleteEmptyUnnamedPersons(db));
  if (before) FACETAG_RETURN_IF_ERROR(LogCorrection(db, *before, created));
  return tx.Commit();
}

Result<std::vector<int64_t>> FacesOfPersons(sql::Connection& db, const std::vector<int64_t>& persons) {
  std::vector<int64_t> faces;
  auto q = sql::Statement::Prepare(db, "SELECT id FROM faces WHERE person_id = ?");
  FACETAG_RETURN_IF_ERROR(q.status());
  for (int64_t p : persons) {
    q->Reset();
    q->Bind(1, p);
    FACETAG_RETURN_IF_ERROR(q->ForEachRow([&] { faces.push_back(q->Int(0)); }));
  }
  return faces;
}

}  // namespace

Status ValidatePersonName(std::string_view name) {
  if (!IsValidUtf8(name)) return InvalidArgument("a name must be valid UTF-8 text");
  size_t chars = 0;
  for (size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if ((c & 0xC0) != 0x80) ++chars;
    const bool c1 = c == 0xC2 && i + 1 < name.size() && static_cast<unsigned char>(name[i + 1]) <= 0x9F;
    if (c < 0x20 || c == 0x7F || c1) return InvalidArgument("a name may not hold control characters");
  }
  if (chars > kMaxPersonNameChars)
    return InvalidArgument("a name may have at most " + std::to_string(kMaxPersonNameChars) + " characters");
  // Where a person is asked for (CLI arguments, API paths), a number means an id: a name of
  // digits only could never be used to find its person again.
  if (!name.empty() && name.find_first_not_of("0123456789") == std::string_view::npos)
    return InvalidArgument("a name may not be only digits: numbers are taken as person ids");
  return Status::Ok();
}

Status Catalog::NamePerson(int64_t person_id, const std::string& name) {
  FACETAG_RETURN_IF_ERROR(ValidatePersonName(name));
  auto& db = impl_->db;
  auto tx = sql::Transaction::Begin(db);
  FACETAG_RETURN_IF_ERROR(tx.status());
  FACETAG_RETURN_IF_ERROR(RequirePerson(db, person_id));
  auto before = StartLog(db, "name",
                         name.empty() ? "removed the name of person " + std::to_string(person_id)
                                      : "named person " + std::to_string(person_id) + " " + Quoted(name),
                         {person_id}, {});
  FACETAG_RETURN_IF_ERROR(before.status());
  auto s = sql::Statement::Prepare(db, "UPDATE persons SET name = NULLIF(?, '') WHERE id = ?");
  FACETAG_RETURN_IF_ERROR(s.status());
  FACETAG_RETURN_IF_ERROR(s->Bind(1, name).Bind(2, person_id).Run());
  return Finish(db, *tx, {person_id}, &*before);
}

Status Catalog::HidePerson(int64_t person_id, bool hidden) {
  auto& db = impl_->db;
  auto tx = sql::Transaction::Begin(db);
  FACETAG_RETURN_IF_ERROR(tx.status());
  FACETAG_RETURN_IF_ERROR(RequirePerson(db, person_id));
  auto before = StartLog(db, "hide", (hidden ? "hid person " : "showed person ") + std::to_string(person_id),
                         {person_id}, {});
  FACETAG_RETURN_IF_ERROR(before.status());
  auto s = sql::Statement::Prepare(db, "UPDATE persons SET hidden = ? WHERE id = ?");
  FACETAG_RETURN_IF_ERROR(s.status());
  FACETAG_RETURN_IF_ERROR(s->Bind(1, hidden ? 1 : 0).Bind(2, person_id).Run());
  return Finish(db, *tx, {person_id}, &*before);
}

Status Catalog::MergePersons(const std::vector<int64_t>& person_ids) {
  if (person_ids.empty()) return InvalidArgument("merge needs at least one person");
  auto& db = impl_->db;
  auto tx = sql::Transaction::Begin(db);
  FACETAG_RETURN_IF_ERROR(tx.status());
  const int64_t target = person_ids[0];
  FACETAG_RETURN_IF_ERROR(RequirePerson(db, target));
  std::vector<int64_t> others;
  for (size_t i = 1; i < person_ids.size(); ++i) {
    if (person_ids[i] == target || std::count(others.begin(), others.end(), person_ids[i])) continue;
    FACETAG_RETURN_IF_ERROR(RequirePerson(db, person_ids[i]));
    others.push_back(person_ids[i]);
  }
  std::vector<int64_t> all = {target};
  all.insert(all.end(), others.begin(), others.end());
  auto moved = FacesOfPersons(db, others);
  FACETAG_RETURN_IF_ERROR(moved.status());
  std::string summary = "merged ";
  for (size_t i = 0; i < others.size(); ++i)
    summary += (i ? ", person " : "person ") + std::to_string(others[i]);
  auto before = StartLog(db, "merge", summary + " into person " + std::to_string(target), all, *moved);
  FACETAG_RETURN_IF_ERROR(before.status());
  auto take_name = sql::Statement::Prepare(
      db,
      "UPDATE persons SET name = (SELECT name FROM persons WHERE id = ?2) WHERE id = ?1 AND name IS NULL");
  // A face rejected for a merged person is rejected for the merged whole ...
  auto move_rejections =
      sql::Statement::Prepare(db,
                              "INSERT OR IGNORE INTO face_rejections (face_id, person_id) "
                              "SELECT face_id, ?1 FROM face_rejections WHERE person_id = ?2 "
                              "AND face_id NOT IN (SELECT id FROM faces WHERE person_id = ?1)");
  // ... unless the merge brings it in: then the user's latest word (the merge) wins.
  auto drop_contradicted = sql::Statement::Prepare(db,
                                                   "DELETE FROM face_rejections WHERE person_id = ?1 AND "
                                                   "face_id IN (SELECT id FROM faces WHERE person_id = ?2)");
  auto move_faces = sql::Statement::Prepare(db, "UPDATE faces SET person_id = ?1 WHERE person_id = ?2");
  // The merged person's recognition events are the merged whole's (deleting would lose them).
  auto move_events =
      sql::Statement::Prepare(db, "UPDATE recognition_events SET person_id = ?1 WHERE person_id = ?2");
  auto remove = sql::Statement::Prepare(db, "DELETE FROM persons WHERE id = ?");
  FACETAG_RETURN_IF_ERROR(take_name.status());
  FACETAG_RETURN_IF_ERROR(move_rejections.status());
  FACETAG_RETURN_IF_ERROR(drop_contradicted.status());
  FACETAG_RETURN_IF_ERROR(move_faces.status());
  FACETAG_RETURN_IF_ERROR(move_events.status());
  FACETAG_RETURN_IF_ERROR(remove.status());
  for (int64_t other : others) {
    for (sql::Statement* s :
         {&*take_name, &*move_rejections, &*drop_contradicted, &*move_faces, &*move_events}) {
      s->Reset();
      FACETAG_RETURN_IF_ERROR(s->Bind(1, target).Bind(2, other).Run());
    }
    remove->Reset();
    FACETAG_RETURN_IF_ERROR(remove->Bind(1, other).Run());
  }
  return Finish(db, *tx, {target}, &*before);
}

Status Catalog::MoveFace(int64_t face_id, int64_t person_id) {
  auto& db = impl_->db;
  auto tx = sql::Transaction::Begin(db);
  FACETAG_RETURN_IF_ERROR(tx.status());
  auto from = PersonOfFace(db, face_id);
  FACETAG_RETURN_IF_ERROR(from.status());
  FACETAG_RETURN_IF_ERROR(RequirePerson(db, person_id));
  auto before = StartLog(db, "move",
                         "moved face " + std::to_string(face_id) + " to person " + std::to_string(person_id),
                         {*from, person_id}, {face_id});
  FACETAG_RETURN_IF_ERROR(before.status());
  FACETAG_RETURN_IF_ERROR(SetFacePerson(db, face_id, person_id, Assignment::kUser));
  // Moving a face to a person it was rejected for: the latest word wins.
  FACETAG_RETURN_IF_ERROR(DeleteRejection(db, face_id, person_id));
  return Finish(db, *tx, {*from, person_id}, &*before);
}

Result<int64_t> Catalog::MoveFaceToNewPerson(int64_t face_id, const std::string& name) {
  FACETAG_RETURN_IF_ERROR(ValidatePersonName(name));
  auto& db = impl_->db;
  auto tx = sql::Transaction::Begin(db);
  FACETAG_RETURN_IF_ERROR(tx.status());
  auto from = PersonOfFace(db, face_id);
  FACETAG_RETURN_IF_ERROR(from.status());
  auto before = StartLog(db, "move",
                         "moved face " + std::to_string(face_id) + " to a new person" +
                             (name.empty() ? std::string() : " " + Quoted(name)),
                         {*from}, {face_id});
  FACETAG_RETURN_IF_ERROR(before.status());
  auto insert = sql::Statement::Prepare(db, "INSERT INTO persons (name, pinned) VALUES (NULLIF(?, ''), 1)");
  FACETAG_RETURN_IF_ERROR(insert.status());
  FACETAG_RETURN_IF_ERROR(insert->Bind(1, name).Run());
  const int64_t person_id = db.last_insert_rowid();
  FACETAG_RETURN_IF_ERROR(SetFacePerson(db, face_id, person_id, Assignment::kUser));
  FACETAG_RETURN_IF_ERROR(Finish(db, *tx, {*from, person_id}, &*before, {person_id}));
  return person_id;
}

Status Catalog::RejectFace(int64_t face_id, int64_t person_id) {
  auto& db = impl_->db;
  auto tx = sql::Transaction::Begin(db);
  FACETAG_RETURN_IF_ERROR(tx.status());
  auto current = PersonOfFace(db, face_id);
  FACETAG_RETURN_IF_ERROR(current.status());
  FACETAG_RETURN_IF_ERROR(RequirePerson(db, person_id));
  auto before = StartLog(
      db, "reject", "rejected face " + std::to_string(face_id) + " for person " + std::to_string(person_id),
      {*current, person_id}, {face_id});
  FACETAG_RETURN_IF_ERROR(before.status());
  auto s =
      sql::Statement::Prepare(db, "INSERT OR IGNORE INTO face_rejections (face_id, person_id) VALUES (?, ?)");
  FACETAG_RETURN_IF_ERROR(s.status());
  FACETAG_RETURN_IF_ERROR(s->Bind(1, face_id).Bind(2, person_id).Run());
  // Off that person, and back to grouping, which may find who it really is.
  if (*current == person_id) FACETAG_RETURN_IF_ERROR(SetFacePerson(db, face_id, 0, Assignment::kAuto));
  return Finish(db, *tx, {person_id}, &*before);
}

Status Catalog::UnassignFace(int64_t face_id) {
  auto& db = impl_->db;
  auto tx = sql::Transaction::Begin(db);
  FACETAG_RETURN_IF_ERROR(tx.status());
  auto current = PersonOfFace(db, face_id);
  FACETAG_RETURN_IF_ERROR(current.status());
  auto before = StartLog(db, "unassign", "took face " + std::to_string(face_id) + " off every person",
                         {*current}, {face_id});
  FACETAG_RETURN_IF_ERROR(before.status());
  FACETAG_RETURN_IF_ERROR(SetFacePerson(db, face_id, 0, Assignment::kUser));
  return Finish(db, *tx, {*current}, &*before);
}

Result<std::vector<int64_t>> Catalog::UnknownFaces(const std::vector<int64_t>& face_ids) {
  auto q = sql::Statement::Prepare(impl_->db, "SELECT 1 FROM faces WHERE id = ?");
  FACETAG_RETURN_IF_ERROR(q.status());
  std::vector<int64_t> unknown;
  for (int64_t id : face_ids) {
    q->Reset();
    auto row = q->Bind(1, id).Step();
    FACETAG_RETURN_IF_ERROR(row.status());
    if (!*row) unknown.push_back(id);
  }
  return unknown;
}

Result<int64_t> Catalog::CorrectFaces(const FaceBatch& batch) {
  std::vector<int64_t> faces = batch.face_ids;
  std::sort(faces.begin(), faces.end());
  faces.erase(std::unique(faces.begin(), faces.end()), faces.end());
  if (faces.empty()) return InvalidArgument("no face to correct");
  auto& db = impl_->db;
  auto tx = sql::Transaction::Begin(db);
  FACETAG_RETURN_IF_ERROR(tx.status());
  // Every id is checked before anything changes: one unknown face and the batch is refused whole.
  auto unknown = UnknownFaces(faces);
  FACETAG_RETURN_IF_ERROR(unknown.status());
  if (!unknown->empty()) {
    std::string ids;
    for (int64_t id : *unknown) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
    return NotFound((unknown->size() == 1 ? "no face " : "no faces ") + ids);
  }
  const bool to_new_person = batch.action == FaceBatch::Action::kMove && batch.person_id == 0;
  if (batch.action != FaceBatch::Action::kUnassign && !to_new_person)
    FACETAG_RETURN_IF_ERROR(RequirePerson(db, batch.person_id));

  std::vector<int64_t> touched;  // the faces' persons now, then the target
  for (int64_t face : faces) {
    auto from = PersonOfFace(db, face);
    FACETAG_RETURN_IF_ERROR(from.status());
    if (*from != 0 && std::find(touched.begin(), touched.end(), *from) == touched.end())
      touched.push_back(*from);
  }
  if (batch.person_id != 0 && std::find(touched.begin(), touched.end(), batch.person_id) == touched.end())
    touched.push_back(batch.person_id);

  const std::string count = std::to_string(faces.size()) + (faces.size() == 1 ? " face" : " faces");
  const std::string person = "person " + std::to_string(batch.person_id);
  std::string kind, summary;
  switch (batch.action) {
    case FaceBatch::Action::kMove:
      kind = "move";
      summary = "moved " + count + " to " + (to_new_person ? std::string("a new person") : person);
      break;
    case FaceBatch::Action::kReject:
      kind = "reject";
      summary = "rejected " + count + " for " + person;
      break;
    case FaceBatch::Action::kUnassign:
      kind = "unassign";
      summary = "took " + count + " off every person";
      break;
  }
  auto before = StartLog(db, kind, summary, touched, faces);
  FACETAG_RETURN_IF_ERROR(before.status());

  int64_t target = batch.person_id;
  std::vector<int64_t> created;
  if (to_new_person) {
    auto insert = sql::Statement::Prepare(db, "INSERT INTO persons (name, pinned) VALUES (NULL, 1)");
    FACETAG_RETURN_IF_ERROR(insert.status());
    FACETAG_RETURN_IF_ERROR(insert->Run());
    target = db.last_insert_rowid();
    created.push_back(target);
    touched.push_back(target);
  }
  auto reject =
      sql::Statement::Prepare(db, "INSERT OR IGNORE INTO face_rejections (face_id, person_id) VALUES (?, ?)");
  FACETAG_RETURN_IF_ERROR(reject.status());
  for (int64_t face : faces) {
    switch (batch.action) {
      case FaceBatch::Action::kMove:
        FACETAG_RETURN_IF_ERROR(SetFacePerson(db, face, target, Assignment::kUser));
        // Moving a face to a person it was rejected for: the latest word wins.
        FACETAG_RETURN_IF_ERROR(DeleteRejection(db, face, target));
        break;
      case FaceBatch::Action::kReject: {
        reject->Reset();
        FACETAG_RETURN_IF_ERROR(reject->Bind(1, face).Bind(2, target).Run());
        auto current = PersonOfFace(db, face);
        FACETAG_RETURN_IF_ERROR(current.status());
        // Off that person, and back to grouping, which may find who it really is.
        if (*current == target) FACETAG_RETURN_IF_ERROR(SetFacePerson(db, face, 0, Assignment::kAuto));
        break;
      }
      case FaceBatch::Action::kUnassign:
        FACETAG_RETURN_IF_ERROR(SetFacePerson(db, face, 0, Assignment::kUser));
        break;
    }
  }
  FACETAG_RETURN_IF_ERROR(Finish(db, *tx, touched, &*before, created));
  return batch.action == FaceBatch::Action::kMove ? target : int64_t{0};
}

Status Catalog::MarkDifferentPersons(int64_t person_a, int64_t person_b) {
  if (person_a == person_b) return InvalidArgument("a person is the same person as itself");
  if (person_a > person_b) std::swap(person_a, person_b);
  auto& db = impl_->db;
  auto tx = sql::Transaction::Begin(db);
  FACETAG_RETURN_IF_ERROR(tx.status());
  FACETAG_RETURN_IF_ERROR(RequirePerson(db, person_a));
  FACETAG_RETURN_IF_ERROR(RequirePerson(db, person_b));
  auto before = StartLog(db, "different",
                         "person " + std::to_string(person_a) + " and person " + std::to_string(person_b) +
                             " are not the same person",
                         {person_a, person_b}, {});
  FACETAG_RETURN_IF_ERROR(before.status());
  auto s = sql::Statement::Prepare(
      db, "INSERT OR IGNORE INTO merge_dismissals (person_a, person_b) VALUES (?, ?)");
  FACETAG_RETURN_IF_ERROR(s.status());
  FACETAG_RETURN_IF_ERROR(s->Bind(1, person_a).Bind(2, person_b).Run());
  // Pinned: grouping must not join them either way (their faces stay each person's own).
  return Finish(db, *tx, {person_a, person_b}, &*before);
}

Result<std::vector<std::pair<int64_t, int64_t>>> Catalog::DifferentPersons() {
  auto q =
      sql::Statement::Prepare(impl_->db, "SELECT person_a, person_b FROM merge_dismissals ORDER BY 1, 2");
  FACETAG_RETURN_IF_ERROR(q.status());
  std::vector<std::pair<int64_t, int64_t>> out;
  FACETAG_RETURN_IF_ERROR(q->ForEachRow([&] { out.emplace_back(q->Int(0), q->Int(1)); }));
  return out;
}

}  // namespace facetag

namespace facetag {

Result<int64_t> Catalog::CreatePerson(const std::string& name) {
  FACETAG_RETURN_IF_ERROR(ValidatePersonName(name));
  auto& db = impl_->db;
  auto tx = sql::Transaction::Begin(db);
  FACETAG_RETURN_IF_ERROR(tx.status());
  auto s =
      sql::Statement::Prepare(db, "INSERT INTO persons (name, hidden, pinned) VALUES (NULLIF(?, ''), 0, 1)");
  FACETAG_RETURN_IF_ERROR(s.status());
  FACETAG_RETURN_IF_ERROR(s->Bind(1, name).Run());
  const int64_t id = db.last_insert_rowid();
  FACETAG_RETURN_IF_ERROR(catalog_internal::BumpCorrectionsVersion(db));
  FACETAG_RETURN_IF_ERROR(tx->Commit());
  return id;
}

Status Catalog::DeletePerson(int64_t person_id) {
  auto& db = impl_->db;
  auto tx = sql::Transaction::Begin(db);
  FACETAG_RETURN_IF_ERROR(tx.status());
  FACETAG_RETURN_IF_ERROR(catalog_internal::RequirePerson(db, person_id));
  // Their recognition events go with the person row (ON DELETE CASCADE).
  for (const char* sql : {"DELETE FROM faces WHERE person_id = ?", "DELETE FROM persons WHERE id = ?"}) {
    auto s = sql::Statement::Prepare(db, sql);
    FACETAG_RETURN_IF_ERROR(s.status());
    FACETAG_RETURN_IF_ERROR(s->Bind(1, person_id).Run());
  }
  FACETAG_RETURN_IF_ERROR(catalog_internal::BumpCorrectionsVersion(db));
  return tx->Commit();
}

Result<int64_t> Catalog::AddFaceForPerson(int64_t photo_id, const Face& face, int64_t person_id) {
  auto& db = impl_->db;
  auto tx = sql::Transaction::Begin(db);
  FACETAG_RETURN_IF_ERROR(tx.status());
  FACETAG_RETURN_IF_ERROR(RequirePerson(db, person_id));
  auto next = sql::Statement::Prepare(
      db,
      "SELECT (SELECT COUNT(*) FROM photos WHERE id = ?1), COALESCE(MAX(ordinal) + 1, 0) FROM faces "
      "WHERE photo_id = ?1");
  FACETAG_RETURN_IF_ERROR(next.status());
  auto row = next->Bind(1, photo_id).Step();
  FACETAG_RETURN_IF_ERROR(row.status());
  if (!*row || next->Int(0) == 0) return NotFound("no photo " + std::to_string(photo_id));
  const int ordinal = static_cast<int>(next->Int(1));
  FACETAG_RETURN_IF_ERROR(InsertFaces(db, photo_id, {face}, ordinal));
  const int64_t face_id = db.last_insert_rowid();
  FACETAG_RETURN_IF_ERROR(SetFacePerson(db, face_id, person_id, Assignment::kUser));
  FACETAG_RETURN_IF_ERROR(Finish(db, *tx, {person_id}));
  return face_id;
}

Status Catalog::ForgetPhoto(int64_t photo_id) {
  auto& db = impl_->db;
  auto tx = sql::Transaction::Begin(db);
  FACETAG_RETURN_IF_ERROR(tx.status());
  // files, faces and their rejections go with it (ON DELETE CASCADE).
  auto s = sql::Statement::Prepare(db, "DELETE FROM photos WHERE id = ?");
  FACETAG_RETURN_IF_ERROR(s.status());
  FACETAG_RETURN_IF_ERROR(s->Bind(1, photo_id).Run());
  FACETAG_RETURN_IF_ERROR(BumpCorrectionsVersion(db));
  return tx->Commit();
}

Result<std::optional<int64_t>> Catalog::PhotoIdByPath(const std::string& path) {
  auto q = sql::Statement::Prepare(impl_->db,
                                   "SELECT photo_id FROM files WHERE path = ?1 UNION ALL "
                                   "SELECT id FROM photos WHERE path = ?1 LIMIT 1");
  FACETAG_RETURN_IF_ERROR(q.status());
  auto row = q->Bind(1, std::string_view(path)).Step();
  FACETAG_RETURN_IF_ERROR(row.status());
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>(q->Int(0));
}

Result<PurgedPhoto> Catalog::PurgePhoto(int64_t photo_id) {
  auto& db = impl_->db;
  auto tx = sql::Transaction::Begin(db);
  FACETAG_RETURN_IF_ERROR(tx.status());
  PurgedPhoto out;
  auto photo = GetPhoto(photo_id);
  FACETAG_RETURN_IF_ERROR(photo.status());
  out.photo = std::move(*photo);
  {
    auto q = sql::Statement::Prepare(db, "SELECT path FROM files WHERE photo_id = ? ORDER BY path");
    FACETAG_RETURN_IF_ERROR(q.status());
    q->Bind(1, photo_id);
    FACETAG_RETURN_IF_ERROR(q->ForEachRow([&] { out.paths.push_back(q->Text(0)); }));
  }
  {
    auto q = sql::Statement::Prepare(
        db, "SELECT id, COALESCE(person_id, 0) FROM faces WHERE photo_id = ? ORDER BY id");
    FACETAG_RETURN_IF_ERROR(q.status());
    q->Bind(1, photo_id);
    FACETAG_RETURN_IF_ERROR(q->ForEachRow([&] {
      out.face_ids.push_back(q->Int(0));
      const int64_t person = q->Int(1);
      if (person != 0 && std::find(out.persons_affected.begin(), out.persons_affected.end(), person) ==
                             out.persons_affected.end())
        out.persons_affected.push_back(person);
    }));
  }
  // files, faces, their rejections, the annotation (and its full-text row, by trigger) and the
  // EXIF facts go with the photo (ON DELETE CASCADE).
  auto del = sql::Statement::Prepare(db, "DELETE FROM photos WHERE id = ?");
  FACETAG_RETURN_IF_ERROR(del.status());
  FACETAG_RETURN_IF_ERROR(del->Bind(1, photo_id).Run());
  for (const int64_t person : out.persons_affected) {
    auto gone = sql::Statement::Prepare(db,
                                        "DELETE FROM persons WHERE id = ? AND name IS NULL AND NOT EXISTS "
                                        "(SELECT 1 FROM faces WHERE faces.person_id = persons.id)");
    FACETAG_RETURN_IF_ERROR(gone.status());
    FACETAG_RETURN_IF_ERROR(gone->Bind(1, person).Run());
    if (sqlite3_changes(db.get()) > 0) out.persons_removed.push_back(person);
  }
  // Grouping that read the catalog before this must not write the purged faces back.
  FACETAG_RETURN_IF_ERROR(BumpCorrectionsVersion(db));
  FACETAG_RETURN_IF_ERROR(tx->Commit());
  return out;
}

}  // namespace facetag
