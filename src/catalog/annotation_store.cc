// Captions and tags from facetag annotate, their full-text search, and the EXIF facts (date,
// place) annotate reads from each photo.
#include <cctype>
#include <nlohmann/json.hpp>

#include "catalog/catalog_impl.h"

namespace facetag {

using namespace catalog_internal;

namespace {

// The user's words as an FTS5 query: each a quoted prefix term ("beach"*), all required. Quoting
// keeps FTS5's operators (AND, NEAR, column filters, '-') out of what users type.
std::string FtsQuery(const std::string& words) {
  std::string query, word;
  auto flush = [&] {
    if (word.empty()) return;
    std::string quoted = "\"";
    for (char c : word) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    query += (query.empty() ? "" : " ") + quoted + "\"*";
    word.clear();
  };
  for (char c : words) {
    // Separators as the unicode61 tokenizer sees them in ASCII; other bytes (UTF-8) stay in words.
    if (static_cast<unsigned char>(c) < 0x80 && !std::isalnum(static_cast<unsigned char>(c)))
      flush();
    else
      word += c;
  }
  flush();
  return query;
}

}  // namespace

Result<std::vector<PhotoRecord>> Catalog::PhotosToDescribe() {
  auto q = sql::Statement::Prepare(
      impl_->db, std::string("SELECT ") + kPhotoColumns + " FROM photos WHERE status = 'ok' ORDER BY id");
  FACETAG_RETURN_IF_ERROR(q.status());
  std::vector<PhotoRecord> out;
  FACETAG_RETURN_IF_ERROR(q->ForEachRow([&] { out.push_back(ReadPhoto(*q, 0)); }));
  return out;
}

Status Catalog::SetAnnotation(const PhotoAnnotation& a) {
  auto s = sql::Statement::Prepare(impl_->db, R"sql(
      INSERT INTO photo_annotations (photo_id, content_hash, context_hash, caption, tags, model, annotated_at)
      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
      ON CONFLICT (photo_id) DO UPDATE SET content_hash = ?2, context_hash = ?3, caption = ?4, tags = ?5,
        model = ?6, annotated_at = ?7)sql");
  FACETAG_RETURN_IF_ERROR(s.status());
  const std::string tags =
      nlohmann::json(a.tags).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  Status st = s->Bind(1, a.photo_id)
                  .Bind(2, a.content_hash)
                  .Bind(3, a.context_hash)
                  .Bind(4, a.caption)
                  .Bind(5, tags)
                  .Bind(6, a.model)
                  .Bind(7, a.annotated_at)
                  .Run();
  if (!st.ok() && st.message().find("FOREIGN KEY") != std::string::npos)
    return NotFound("no photo " + std::to_string(a.photo_id));
  return st;
}

Result<std::optional<PhotoAnnotation>> Catalog::GetAnnotation(int64_t photo_id) {
  auto q = sql::Statement::Prepare(impl_->db,
                                   "SELECT content_hash, context_hash, caption, tags, model, annotated_at "
                                   "FROM photo_annotations WHERE photo_id = ?");
  FACETAG_RETURN_IF_ERROR(q.status());
  auto row = q->Bind(1, photo_id).Step();
  FACETAG_RETURN_IF_ERROR(row.status());
  if (!*row) return std::optional<PhotoAnnotation>();
  PhotoAnnotation a;
  a.photo_id = photo_id;
  a.content_hash = q->Text(0);
  a.context_hash = q->Text(1);
  a.caption = q->Text(2);
  const auto tags = nlohmann::json::parse(q->Text(3), nullptr, false);
  if (tags.is_array())
    for (const auto& t : tags)
      if (t.is_string()) a.tags.push_back(t.get<std::string>());
  a.model = q->Text(4);
  a.annotated_at = q->Int(5);
  return std::optional<PhotoAnnotation>(std::move(a));
}

Result<std::vector<PhotoRecord>> Catalog::SearchPhotosByText(const std::string& words) {
  const std::string query = FtsQuery(words);
  if (query.empty()) return InvalidArgument("search for what? (give one or more words)");
  auto q = sql::Statement::Prepare(impl_->db, std::string("SELECT ") + kPhotoColumns + R"sql(
      FROM photo_annotations_fts f
      JOIN photo_annotations a ON a.photo_id = f.rowid
      JOIN photos ON photos.id = a.photo_id AND photos.content_hash = a.content_hash
      WHERE photo_annotations_fts MATCH ?1
      ORDER BY f.rank, photos.path)sql");
  FACETAG_RETURN_IF_ERROR(q.status());
  q->Bind(1, query);
  std::vector<PhotoRecord> out;
  FACETAG_RETURN_IF_ERROR(q->ForEachRow([&] { out.push_back(ReadPhoto(*q, 0)); }));
  return out;
}

Status Catalog::SetPhotoExif(int64_t photo_id, const std::string& content_hash, const PhotoExif& exif) {
  auto s = sql::Statement::Prepare(impl_->db, R"sql(
      INSERT INTO photo_exif (photo_id, content_hash, taken, latitude, longitude) VALUES (?1, ?2, ?3, ?4, ?5)
      ON CONFLICT (photo_id) DO UPDATE SET content_hash = ?2, taken = ?3, latitude = ?4, longitude = ?5)sql");
  FACETAG_RETURN_IF_ERROR(s.status());
  s->Bind(1, photo_id).Bind(2, content_hash);
  if (exif.taken.empty())
    s->BindNull(3);
  else
    s->Bind(3, exif.taken);
  if (exif.has_location)
    s->Bind(4, exif.latitude).Bind(5, exif.longitude);
  else
    s->BindNull(4).BindNull(5);
  return s->Run();
}

Result<std::optional<PhotoExif>> Catalog::GetPhotoExif(int64_t photo_id) {
  auto q = sql::Statement::Prepare(impl_->db, R"sql(
      SELECT e.taken, e.latitude, e.longitude FROM photo_exif e JOIN photos p ON p.id = e.photo_id
      WHERE e.photo_id = ? AND e.content_hash = p.content_hash)sql");
  FACETAG_RETURN_IF_ERROR(q.status());
  auto row = q->Bind(1, photo_id).Step();
  FACETAG_RETURN_IF_ERROR(row.status());
  if (!*row) return std::optional<PhotoExif>();
  PhotoExif e;
  if (!q->IsNull(0)) e.taken = q->Text(0);
  if (!q->IsNull(1) && !q->IsNull(2)) {
    e.has_location = true;
    e.latitude = q->Double(1);
    e.longitude = q->Double(2);
  }
  return std::optional<PhotoExif>(e);
}

}  // namespace facetag
