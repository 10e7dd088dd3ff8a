// Read-only questions the CLI asks: who is there, where, with whom, and everything at once.
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "catalog/catalog_impl.h"
#include "catalog/face_store.h"

namespace facetag {

using namespace catalog_internal;

namespace {

template <typename T, typename ReadRow>
Result<std::vector<T>> CollectRows(sql::Statement& q, ReadRow read) {
  std::vector<T> out;
  FACETAG_RETURN_IF_ERROR(q.ForEachRow([&] { out.push_back(read(q)); }));
  return out;
}

std::string Placeholders(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += i ? ", ?" : "?";
  return s;
}

}  // namespace

Result<std::optional<float>> Catalog::DistanceToOwnPerson(int64_t face_id) {
  auto face = GetFace(face_id);
  FACETAG_RETURN_IF_ERROR(face.status());
  if (face->person_id == 0) return std::optional<float>();
  auto q = sql::Statement::Prepare(impl_->db, "SELECT embedding FROM faces WHERE person_id = ? AND id != ?");
  FACETAG_RETURN_IF_ERROR(q.status());
  q->Bind(1, face->person_id).Bind(2, face_id);
  std::vector<double> sum(face->face.embedding.size(), 0.0);
  int64_t others = 0;
  FACETAG_RETURN_IF_ERROR(q->ForEachRow([&] {
    const std::vector<float> e = DecodeFloats(q->Blob(0));
    if (e.size() != sum.size()) return;
    for (size_t i = 0; i < e.size(); ++i) sum[i] += e[i];
    ++others;
  }));
  if (others == 0) return std::optional<float>();
  double d2 = 0;
  for (size_t i = 0; i < sum.size(); ++i) {
    const double diff = face->face.embedding[i] - sum[i] / static_cast<double>(others);
    d2 += diff * diff;
  }
  return std::optional<float>(static_cast<float>(std::sqrt(d2)));
}

Result<PersonRecord> Catalog::GetPerson(int64_t person_id) {
  auto q = sql::Statement::Prepare(impl_->db,
                                   std::string("SELECT ") + kPersonColumns + " FROM persons WHERE id = ?");
  FACETAG_RETURN_IF_ERROR(q.status());
  auto row = q->Bind(1, person_id).Step();
  FACETAG_RETURN_IF_ERROR(row.status());
  if (!*row) return NotFound("no person " + std::to_string(person_id));
  return ReadPerson(*q, 0);
}

Result<std::vector<PersonRecord>> Catalog::FindPersonsByName(const std::string& name) {
  auto q = sql::Statement::Prepare(impl_->db, std::string("SELECT ") + kPersonColumns +
                                                  " FROM persons WHERE name = ? COLLATE NOCASE ORDER BY id");
  FACETAG_RETURN_IF_ERROR(q.status());
  q->Bind(1, name);
  return CollectRows<PersonRecord>(*q, [](const sql::Statement& s) { return ReadPerson(s, 0); });
}

Result<std::vector<PersonSummary>> Catalog::ListPersons(bool include_hidden) {
  // Counts come from one grouped pass over the faces_person_sample index; the sample is the
  // best-scoring face (ties: lowest id), so it is stable from run to run.
  auto q = sql::Statement::Prepare(impl_->db, std::string("SELECT ") + kPersonColumns + R"sql(,
        COALESCE(c.faces, 0), COALESCE(c.photos, 0),
        s.id, s.photo_id, s.x, s.y, s.w, s.h, p.path, COALESCE(c.newest, 0)
      FROM persons
      LEFT JOIN (SELECT person_id, COUNT(*) AS faces, COUNT(DISTINCT photo_id) AS photos, MAX(id) AS newest
                 FROM faces WHERE person_id IS NOT NULL GROUP BY person_id) c ON c.person_id = persons.id
      LEFT JOIN faces s ON s.id = (SELECT id FROM faces WHERE person_id = persons.id ORDER BY score DESC, id LIMIT 1)
      LEFT JOIN photos p ON p.id = s.photo_id
      WHERE ?1 OR persons.hidden = 0
      ORDER BY COALESCE(c.faces, 0) DESC, persons.id)sql");
  FACETAG_RETURN_IF_ERROR(q.status());
  q->Bind(1, include_hidden ? 1 : 0);
  return CollectRows<PersonSummary>(*q, [](const sql::Statement& s) {
    PersonSummary p;
    p.person = ReadPerson(s, 0);
    p.face_count = s.Int(4);
    p.photo_count = s.Int(5);
    if (!s.IsNull(6)) {
      p.sample_face_id = s.Int(6);
      p.sample_photo_id = s.Int(7);
      p.sample_box = {static_cast<float>(s.Double(8)), static_cast<float>(s.Double(9)),
                      static_cast<float>(s.Double(10)), static_cast<float>(s.Double(11))};
      p.sample_path = s.Text(12);
    }
    p.newest_face_id = s.Int(13);
    return p;
  });
}

Result<std::vector<PhotoRecord>> Catalog::PhotosWithAll(const std::vector<int64_t>& person_ids_in) {
  std::vector<int64_t> ids = person_ids_in;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (ids.empty()) return InvalidArgument("photos of whom?");
  auto q = sql::Statement::Prepare(
      impl_->db, std::string("SELECT ") + kPhotoColumns +
                     " FROM photos WHERE id IN (SELECT photo_id FROM faces WHERE person_id IN (" +
                     Placeholders(ids.size()) +
                     ") GROUP BY photo_id HAVING COUNT(DISTINCT person_id) = ?) ORDER BY path");
  FACETAG_RETURN_IF_ERROR(q.status());
  int i = 1;
  for (int64_t id : ids) q->Bind(i++, id);
  q->Bind(i, static_cast<int64_t>(ids.size()));
  return CollectRows<PhotoRecord>(*q, [](const sql::Statement& s) { return ReadPhoto(s, 0); });
}

Result<std::vector<Companion>> Catalog::Together(int64_t person_id) {
  FACETAG_RETURN_IF_ERROR(RequirePerson(impl_->db, person_id));
  auto q = sql::Statement::Prepare(impl_->db, std::string("SELECT ") + kPersonColumns + R"sql(,
        COUNT(DISTINCT other.photo_id) AS shared
      FROM faces me
      JOIN faces other ON other.photo_id = me.photo_id
      JOIN persons ON persons.id = other.person_id
      WHERE me.person_id = ?1 AND other.person_id != ?1
      GROUP BY persons.id
      ORDER BY shared DESC, persons.id)sql");
  FACETAG_RETURN_IF_ERROR(q.status());
  q->Bind(1, person_id);
  return CollectRows<Companion>(*q, [](const sql::Statement& s) {
    return Companion{ReadPerson(s, 0), s.Int(4)};
  });
}

Result<CatalogExport> Catalog::Export() {
  auto& db = impl_->db;
  auto snapshot = sql::Transaction::BeginRead(db);  // photos, faces and people from one moment
  FACETAG_RETURN_IF_ERROR(snapshot.status());
  CatalogExport out;
  {
    auto q = sql::Statement::Prepare(
        db, std::string("SELECT ") + kPhotoColumns + " FROM photos ORDER BY path, id");
    FACETAG_RETURN_IF_ERROR(q.status());
    auto photos = CollectRows<ExportPhoto>(*q, [](const sql::Statement& s) {
      return ExportPhoto{ReadPhoto(s, 0), {}, {}};
    });
    FACETAG_RETURN_IF_ERROR(photos.status());
    out.photos = std::move(*photos);
  }
  std::unordered_map<int64_t, size_t> index;
  for (size_t i = 0; i < out.photos.size(); ++i) index[out.photos[i].photo.id] = i;
  {
    auto q = sql::Statement::Prepare(
        db, "SELECT id, photo_id, x, y, w, h, person_id, score FROM faces ORDER BY photo_id, ordinal");
    FACETAG_RETURN_IF_ERROR(q.status());
    FACETAG_RETURN_IF_ERROR(q->ForEachRow([&] {
      auto it = index.find(q->Int(1));
      if (it == index.end()) return;
      ExportFace f;
      f.id = q->Int(0);
      f.box = {static_cast<float>(q->Double(2)), static_cast<float>(q->Double(3)),
               static_cast<float>(q->Double(4)), static_cast<float>(q->Double(5))};
      f.person_id = q->IsNull(6) ? 0 : q->Int(6);
      f.score = static_cast<float>(q->Double(7));
      out.photos[it->second].faces.push_back(f);
    }));
  }
  {
    // EXIF dates, where annotate read them from the photo's current content.
    auto q = sql::Statement::Prepare(
        db,
        "SELECT e.photo_id, e.taken FROM photo_exif e JOIN photos p ON p.id = e.photo_id "
        "WHERE e.taken IS NOT NULL AND e.content_hash = p.content_hash");
    FACETAG_RETURN_IF_ERROR(q.status());
    FACETAG_RETURN_IF_ERROR(q->ForEachRow([&] {
      if (auto it = index.find(q->Int(0)); it != index.end()) out.photos[it->second].taken = q->Text(1);
    }));
  }
  {
    auto q =
        sql::Statement::Prepare(db, std::string("SELECT ") + kPersonColumns + " FROM persons ORDER BY id");
    FACETAG_RETURN_IF_ERROR(q.status());
    auto people = CollectRows<PersonRecord>(*q, [](const sql::Statement& s) { return ReadPerson(s, 0); });
    FACETAG_RETURN_IF_ERROR(people.status());
    out.people = std::move(*people);
  }
  FACETAG_RETURN_IF_ERROR(snapshot->Commit());
  return out;
}

Result<Catalog::Counts> Catalog::GetCounts() {
  auto q = sql::Statement::Prepare(impl_->db, R"sql(SELECT
      (SELECT COUNT(*) FROM photos),
      (SELECT COUNT(*) FROM photos WHERE status = 'failed'),
      (SELECT COUNT(*) FROM photos WHERE status = 'missing'),
      (SELECT COUNT(*) FROM faces),
      (SELECT COUNT(*) FROM faces WHERE person_id IS NOT NULL),
      (SELECT COUNT(*) FROM persons))sql");
  FACETAG_RETURN_IF_ERROR(q.status());
  auto row = q->Step();
  FACETAG_RETURN_IF_ERROR(row.status());
  return Counts{q->Int(0), q->Int(1), q->Int(2), q->Int(3), q->Int(4), q->Int(5)};
}

}  // namespace facetag
