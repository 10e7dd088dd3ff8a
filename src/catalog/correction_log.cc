// Undo: the correction log (see correction_log.h and schema version 4).
#include "catalog/correction_log.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "catalog/catalog_impl.h"

namespace facetag {

using namespace catalog_internal;
using json = nlohmann::json;

namespace catalog_internal {
namespace {

std::string IdList(const std::vector<int64_t>& ids) {
  std::string out;
  for (int64_t id : ids) {
    if (!out.empty()) out += ',';
    out += std::to_string(id);
  }
  return out;
}

Result<bool> PersonExists(sql::Connection& db, int64_t id) {
  auto q = sql::Statement::Prepare(db, "SELECT 1 FROM persons WHERE id = ?");
  FACETAG_RETURN_IF_ERROR(q.status());
  auto row = q->Bind(1, id).Step();
  FACETAG_RETURN_IF_ERROR(row.status());
  return *row;
}

}  // namespace

Status Snapshot(sql::Connection& db, Before& before) {
  // Ids are integers we produced: safe to inline, and SQLite has no array binding.
  const std::string persons = IdList(before.persons), faces = IdList(before.faces);
  json j = {{"persons", json::array()},
            {"faces", json::array()},
            {"rejections", json::array()},
            {"dismissals", json::array()}};
  auto p = sql::Statement::Prepare(
      db, "SELECT id, name, hidden, pinned FROM persons WHERE id IN (" + persons + ")");
  FACETAG_RETURN_IF_ERROR(p.status());
  FACETAG_RETURN_IF_ERROR(p->ForEachRow([&] {
    j["persons"].push_back(
        {p->Int(0), p->IsNull(1) ? json(nullptr) : json(p->Text(1)), p->Int(2), p->Int(3)});
  }));
  auto f =
      sql::Statement::Prepare(db, "SELECT id, person_id, assignment FROM faces WHERE id IN (" + faces + ")");
  FACETAG_RETURN_IF_ERROR(f.status());
  FACETAG_RETURN_IF_ERROR(f->ForEachRow([&] {
    j["faces"].push_back({f->Int(0), f->IsNull(1) ? int64_t{0} : f->Int(1), f->Text(2)});
  }));
  auto r = sql::Statement::Prepare(db, "SELECT face_id, person_id FROM face_rejections WHERE face_id IN (" +
                                           faces + ") OR person_id IN (" + persons + ")");
  FACETAG_RETURN_IF_ERROR(r.status());
  FACETAG_RETURN_IF_ERROR(r->ForEachRow([&] { j["rejections"].push_back({r->Int(0), r->Int(1)}); }));
  auto m = sql::Statement::Prepare(db, "SELECT person_a, person_b FROM merge_dismissals WHERE person_a IN (" +
                                           persons + ") OR person_b IN (" + persons + ")");
  FACETAG_RETURN_IF_ERROR(m.status());
  FACETAG_RETURN_IF_ERROR(m->ForEachRow([&] { j["dismissals"].push_back({m->Int(0), m->Int(1)}); }));
  before.json = j.dump(-1, ' ', false, json::error_handler_t::replace);
  return Status::Ok();
}

Status LogCorrection(sql::Connection& db, const Before& before, const std::vector<int64_t>& created,
                     const std::vector<int64_t>& drawn) {
  json j = json::parse(before.json);
  j["created"] = created;
  if (!drawn.empty()) j["drawn"] = drawn;
  json deleted = json::array();
  for (const auto& p : j["persons"]) {
    auto exists = PersonExists(db, p[0].get<int64_t>());
    FACETAG_RETURN_IF_ERROR(exists.status());
    if (!*exists) deleted.push_back(p[0]);
  }
  j["deleted"] = deleted;
  auto s =
      sql::Statement::Prepare(db,
                              "INSERT INTO correction_log (kind, summary, before, made_at) VALUES (?, ?, ?, "
                              "CAST(strftime('%s', 'now') AS INTEGER))");
  FACETAG_RETURN_IF_ERROR(s.status());
  FACETAG_RETURN_IF_ERROR(s->Bind(1, before.kind)
                              .Bind(2, before.summary)
                              .Bind(3, j.dump(-1, ' ', false, json::error_handler_t::replace))
                              .Run());
  auto prune = sql::Statement::Prepare(
      db,
      "DELETE FROM correction_log WHERE id NOT IN (SELECT id FROM correction_log ORDER BY id DESC LIMIT ?)");
  FACETAG_RETURN_IF_ERROR(prune.status());
  return prune->Bind(1, kUndoDepth).Run();
}

}  // namespace catalog_internal

Result<std::vector<CorrectionEntry>> Catalog::RecentCorrections() {
  auto q = sql::Statement::Prepare(impl_->db,
                                   "SELECT id, kind, summary, made_at FROM correction_log ORDER BY id DESC");
  FACETAG_RETURN_IF_ERROR(q.status());
  std::vector<CorrectionEntry> out;
  FACETAG_RETURN_IF_ERROR(q->ForEachRow([&] {
    out.push_back({q->Int(0), q->Text(1), q->Text(2), q->Int(3)});
  }));
  return out;
}

Result<CorrectionEntry> Catalog::UndoLastCorrection() {
  auto& db = impl_->db;
  auto tx = sql::Transaction::Begin(db);
  FACETAG_RETURN_IF_ERROR(tx.status());
  CorrectionEntry entry;
  json before;
  {
    auto q = sql::Statement::Prepare(
        db, "SELECT id, kind, summary, made_at, before FROM correction_log ORDER BY id DESC LIMIT 1");
    FACETAG_RETURN_IF_ERROR(q.status());
    auto row = q->Step();
    FACETAG_RETURN_IF_ERROR(row.status());
    if (!*row) {
      return NotFound("nothing to undo: only the last " + std::to_string(kUndoDepth) +
                      " corrections are kept, and none is left");
    }
    entry = {q->Int(0), q->Text(1), q->Text(2), q->Int(3)};
    before = json::parse(q->Text(4), nullptr, false);
  }
  if (before.is_discarded() || !before.is_object()) return Corrupt("correction log entry is not JSON");

  try {
    const auto& deleted = before.value("deleted", json::array());
    auto update =
        sql::Statement::Prepare(db, "UPDATE persons SET name = ?2, hidden = ?3, pinned = ?4 WHERE id = ?1");
    auto insert =
        sql::Statement::Prepare(db, "INSERT INTO persons (id, name, hidden, pinned) VALUES (?1, ?2, ?3, ?4)");
    FACETAG_RETURN_IF_ERROR(update.status());
    FACETAG_RETURN_IF_ERROR(insert.status());
    for (const auto& p : before.at("persons")) {
      const int64_t id = p[0].get<int64_t>();
      auto exists = PersonExists(db, id);
      FACETAG_RETURN_IF_ERROR(exists.status());
      // A person deleted since by something that is not a correction (DeletePerson) stays gone.
      const bool removed_by_it = std::find(deleted.begin(), deleted.end(), p[0]) != deleted.end();
      if (!*exists && !removed_by_it) continue;
      sql::Statement& s = *exists ? *update : *insert;
      s.Reset();
      s.Bind(1, id);
      if (p[1].is_null())
        s.BindNull(2);
      else
        s.Bind(2, p[1].get<std::string>());
      FACETAG_RETURN_IF_ERROR(s.Bind(3, p[2].get<int64_t>()).Bind(4, p[3].get<int64_t>()).Run());
    }
    std::vector<int64_t> person_ids, face_ids;
    for (const auto& p : before.at("persons")) person_ids.push_back(p[0].get<int64_t>());
    auto face = sql::Statement::Prepare(
        db,
        "UPDATE faces SET person_id = (SELECT id FROM persons WHERE id = ?2), assignment = ?3 WHERE id = ?1");
    FACETAG_RETURN_IF_ERROR(face.status());
    for (const auto& f : before.at("faces")) {
      face_ids.push_back(f[0].get<int64_t>());
      face->Reset();
      FACETAG_RETURN_IF_ERROR(face->Bind(1, f[0].get<int64_t>())
                                  .Bind(2, f[1].get<int64_t>())
                                  .Bind(3, f[2].get<std::string>())
                                  .Run());
    }
    FACETAG_RETURN_IF_ERROR(db.Exec("DELETE FROM face_rejections WHERE face_id IN (" + IdList(face_ids) +
                                    ") OR person_id IN (" + IdList(person_ids) + ")"));
    auto reject =
        sql::Statement::Prepare(db,
                                "INSERT OR IGNORE INTO face_rejections (face_id, person_id) SELECT ?1, ?2 "
                                "WHERE EXISTS (SELECT 1 FROM faces WHERE id = ?1) AND EXISTS (SELECT 1 "
                                "FROM persons WHERE id = ?2)");
    FACETAG_RETURN_IF_ERROR(reject.status());
    for (const auto& r : before.at("rejections")) {
      reject->Reset();
      FACETAG_RETURN_IF_ERROR(reject->Bind(1, r[0].get<int64_t>()).Bind(2, r[1].get<int64_t>()).Run());
    }
    FACETAG_RETURN_IF_ERROR(db.Exec("DELETE FROM merge_dismissals WHERE person_a IN (" + IdList(person_ids) +
                                    ") OR person_b IN (" + IdList(person_ids) + ")"));
    auto dismissal =
        sql::Statement::Prepare(db,
                                "INSERT OR IGNORE INTO merge_dismissals (person_a, person_b) SELECT ?1, "
                                "?2 WHERE EXISTS (SELECT 1 FROM persons WHERE id = ?1) AND EXISTS "
                                "(SELECT 1 FROM persons WHERE id = ?2)");
    FACETAG_RETURN_IF_ERROR(dismissal.status());
    for (const auto& d : before.value("dismissals", json::array())) {
      dismissal->Reset();
      FACETAG_RETURN_IF_ERROR(dismissal->Bind(1, d[0].get<int64_t>()).Bind(2, d[1].get<int64_t>()).Run());
    }
    std::vector<int64_t> created;
    for (const auto& c : before.value("created", json::array())) created.push_back(c.get<int64_t>());
    // Faces grouping gave a created person since become nobody's (ON DELETE SET NULL); the next
    // grouping places them again.
    if (!created.empty())
      FACETAG_RETURN_IF_ERROR(db.Exec("DELETE FROM persons WHERE id IN (" + IdList(created) + ")"));
    // A drawn face goes; a person it alone belonged to since goes with it below (empty, unnamed).
    std::vector<int64_t> drawn;
    for (const auto& d : before.value("drawn", json::array())) drawn.push_back(d.get<int64_t>());
    if (!drawn.empty())
      FACETAG_RETURN_IF_ERROR(db.Exec("DELETE FROM faces WHERE drawn = 1 AND id IN (" + IdList(drawn) + ")"));
  } catch (const json::exception&) {
    return Corrupt("correction log entry " + std::to_string(entry.id) + " is damaged");
  }
  auto drop = sql::Statement::Prepare(db, "DELETE FROM correction_log WHERE id = ?");
  FACETAG_RETURN_IF_ERROR(drop.status());
  FACETAG_RETURN_IF_ERROR(drop->Bind(1, entry.id).Run());
  FACETAG_RETURN_IF_ERROR(BumpCorrectionsVersion(db));
  FACETAG_RETURN_IF_ERROR(DeleteEmptyUnnamedPersons(db));
  FACETAG_RETURN_IF_ERROR(tx->Commit());
  return entry;
}

}  // namespace facetag
