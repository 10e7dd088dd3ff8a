// Grouping's view of the catalog: one consistent snapshot in, one transaction out.
#include "facetag/grouping_io.h"

#include <cstring>
#include <unordered_set>

#include "catalog/catalog_impl.h"

namespace facetag {

using namespace catalog_internal;

Result<int64_t> CorrectionsVersion(Catalog& catalog) {
  return ReadCorrectionsVersion(ImplAccess::Of(catalog).db);
}

Result<int64_t> ForEachGroupingFace(
    Catalog& catalog, const std::function<void(const GroupingFaceRow&, std::span<const float>)>& visit,
    std::vector<FaceRejection>* rejections, std::vector<PersonRecord>* persons) {
  auto& db = ImplAccess::Of(catalog).db;
  auto snapshot = sql::Transaction::BeginRead(db);
  FACETAG_RETURN_IF_ERROR(snapshot.status());
  auto version = ReadCorrectionsVersion(db);
  FACETAG_RETURN_IF_ERROR(version.status());
  {
    auto q = sql::Statement::Prepare(
        db,
        "SELECT faces.id, faces.photo_id, photos.content_hash, faces.ordinal, faces.person_id, "
        "faces.assignment, "
        "faces.embedding FROM faces JOIN photos ON photos.id = faces.photo_id ORDER BY faces.id");
    FACETAG_RETURN_IF_ERROR(q.status());
    std::vector<float> embedding;
    FACETAG_RETURN_IF_ERROR(q->ForEachRow([&] {
      GroupingFaceRow r;
      r.face_id = q->Int(0);
      r.photo_id = q->Int(1);
      r.photo_key = PhotoKey(q->Text(2));
      r.ordinal = static_cast<int>(q->Int(3));
      r.person_id = q->IsNull(4) ? 0 : q->Int(4);
      r.assignment = ParseAssignment(q->Text(5));
      const auto blob = q->Blob(6);
      embedding.resize(blob.size() / sizeof(float));
      if (!embedding.empty()) std::memcpy(embedding.data(), blob.data(), embedding.size() * sizeof(float));
      visit(r, embedding);
    }));
  }
  if (rejections) {
    rejections->clear();
    auto q = sql::Statement::Prepare(
        db, "SELECT face_id, person_id FROM face_rejections ORDER BY face_id, person_id");
    FACETAG_RETURN_IF_ERROR(q.status());
    FACETAG_RETURN_IF_ERROR(q->ForEachRow([&] { rejections->push_back({q->Int(0), q->Int(1)}); }));
  }
  if (persons) {
    persons->clear();
    auto q =
        sql::Statement::Prepare(db, std::string("SELECT ") + kPersonColumns + " FROM persons ORDER BY id");
    FACETAG_RETURN_IF_ERROR(q.status());
    FACETAG_RETURN_IF_ERROR(q->ForEachRow([&] { persons->push_back(ReadPerson(*q, 0)); }));
  }
  FACETAG_RETURN_IF_ERROR(snapshot->Commit());
  return *version;
}

Result<bool> ApplyAssignments(Catalog& catalog, const AssignmentPlan& plan) {
  auto& db = ImplAccess::Of(catalog).db;
  auto tx = sql::Transaction::Begin(db);
  FACETAG_RETURN_IF_ERROR(tx.status());
  auto version = ReadCorrectionsVersion(db);
  FACETAG_RETURN_IF_ERROR(version.status());
  if (*version != plan.corrections_version) return false;
  {
    // A person the plan names may have gone since (its last photo changed): stale too.
    std::unordered_set<int64_t> referenced;
    for (const auto& c : plan.changes) {
      if (c.person > 0) referenced.insert(c.person);
      if (c.person < -plan.new_persons) return InvalidArgument("plan refers to an uncreated person");
    }
    auto exists = sql::Statement::Prepare(db, "SELECT 1 FROM persons WHERE id = ?");
    FACETAG_RETURN_IF_ERROR(exists.status());
    for (int64_t id : referenced) {
      exists->Reset();
      auto row = exists->Bind(1, id).Step();
      FACETAG_RETURN_IF_ERROR(row.status());
      if (!*row) return false;
    }
  }
  std::vector<int64_t> created(static_cast<size_t>(plan.new_persons));
  for (auto& id : created) {
    FACETAG_RETURN_IF_ERROR(db.Exec("INSERT INTO persons DEFAULT VALUES"));
    id = db.last_insert_rowid();
  }
  // Only automatic assignments move: a user's decision made meanwhile stands.
  auto update =
      sql::Statement::Prepare(db, "UPDATE faces SET person_id = ? WHERE id = ? AND assignment = 'auto'");
  FACETAG_RETURN_IF_ERROR(update.status());
  for (const auto& c : plan.changes) {
    const int64_t person = c.person < 0 ? created[static_cast<size_t>(-c.person - 1)] : c.person;
    update->Reset();
    FACETAG_RETURN_IF_ERROR(update->BindIdOrNull(1, person).Bind(2, c.face_id).Run());
  }
  FACETAG_RETURN_IF_ERROR(DeleteEmptyUnnamedPersons(db));
  FACETAG_RETURN_IF_ERROR(tx->Commit());
  return true;
}

}  // namespace facetag
