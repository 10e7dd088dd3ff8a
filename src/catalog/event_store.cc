// Recognition events in the catalog: batched inserts, filtered pages by id (keyset), per-day
// summaries and retention in small deletes.
#include <variant>

#include "catalog/catalog_impl.h"

namespace facetag {

using namespace catalog_internal;

namespace {

constexpr int64_t kMsPerDay = 86400000;
constexpr int64_t kYear10000Ms = 253402300800000;  // 10000-01-01T00:00:00Z

// The WHERE clause of a query's filters, with its parameters in order.
struct Filter {
  std::string sql = " WHERE 1";
  std::vector<std::variant<int64_t, std::string>> args;

  void Add(const char* clause, std::variant<int64_t, std::string> arg) {
    sql += clause;
    args.push_back(std::move(arg));
  }
  // Binds the filter's parameters from `first`; returns the next free index.
  int Bind(sql::Statement& s, int first = 1) const {
    int i = first;
    for (const auto& a : args) {
      if (const auto* n = std::get_if<int64_t>(&a)) {
        s.Bind(i++, *n);
      } else {
        s.Bind(i++, std::get<std::string>(a));
      }
    }
    return i;
  }
};

Filter FilterOf(const EventQuery& q) {
  Filter f;
  if (q.person) {
    if (*q.person == 0) {
      f.sql += " AND e.person_id IS NULL";
    } else {
      f.Add(" AND e.person_id = ?", *q.person);
    }
  }
  if (q.source) f.Add(" AND e.source = ?", *q.source);
  if (q.since_ms) f.Add(" AND e.at_ms >= ?", *q.since_ms);
  if (q.until_ms) f.Add(" AND e.at_ms < ?", *q.until_ms);
  return f;
}

}  // namespace

Result<int64_t> Catalog::RecordEvents(const std::vector<RecognitionEvent>& events) {
  if (events.empty()) return int64_t{0};
  auto& db = impl_->db;
  auto tx = sql::Transaction::Begin(db);
  FACETAG_RETURN_IF_ERROR(tx.status());
  auto insert = sql::Statement::Prepare(db,
                                        "INSERT INTO recognition_events (at_ms, person_id, distance, source, "
                                        "served_by) SELECT ?1, ?2, ?3, ?4, ?5 "
                                        "WHERE ?2 IS NULL OR EXISTS (SELECT 1 FROM persons WHERE id = ?2)");
  FACETAG_RETURN_IF_ERROR(insert.status());
  int64_t stored = 0;
  for (const RecognitionEvent& e : events) {
    // Year 10000 and later would overflow the summary's day arithmetic; no clock says so.
    if (e.at_ms < 0 || e.at_ms >= kYear10000Ms) return InvalidArgument("an event time outside 1970..9999");
    insert->Reset();
    insert->Bind(1, e.at_ms).BindIdOrNull(2, e.person_id);
    if (e.distance) {
      insert->Bind(3, static_cast<double>(*e.distance));
    } else {
      insert->BindNull(3);
    }
    FACETAG_RETURN_IF_ERROR(insert->Bind(4, e.source).Bind(5, e.served_by).Run());
    stored += db.changes();
  }
  FACETAG_RETURN_IF_ERROR(tx->Commit());
  return stored;
}

Result<EventPage> Catalog::ListEvents(const EventQuery& query) {
  if (query.limit < 1 || query.limit > kMaxEventPage)
    return InvalidArgument("limit must be 1.." + std::to_string(kMaxEventPage));
  if (query.cursor < 0) return InvalidArgument("a cursor is a positive event id");
  Filter f = FilterOf(query);
  if (query.cursor > 0) f.Add(query.oldest_first ? " AND e.id > ?" : " AND e.id < ?", query.cursor);
  auto q = sql::Statement::Prepare(
      impl_->db,
      "SELECT e.id, e.at_ms, e.person_id, p.name, e.distance, e.source, e.served_by "
      "FROM recognition_events e LEFT JOIN persons p ON p.id = e.person_id" +
          f.sql + (query.oldest_first ? " ORDER BY e.id ASC" : " ORDER BY e.id DESC") + " LIMIT ?");
  FACETAG_RETURN_IF_ERROR(q.status());
  const int next = f.Bind(*q);
  q->Bind(next, query.limit + 1);  // one more than asked: is there a next page?
  EventPage page;
  while (true) {
    auto row = q->Step();
    FACETAG_RETURN_IF_ERROR(row.status());
    if (!*row) break;
    if (static_cast<int>(page.events.size()) == query.limit) {
      page.next_cursor = page.events.back().id;
      break;
    }
    RecognitionEvent e;
    e.id = q->Int(0);
    e.at_ms = q->Int(1);
    e.person_id = q->IsNull(2) ? 0 : q->Int(2);
    e.person_name = q->Text(3);
    if (!q->IsNull(4)) e.distance = static_cast<float>(q->Double(4));
    e.source = q->Text(5);
    e.served_by = q->Text(6);
    page.events.push_back(std::move(e));
  }
  return page;
}

Result<int64_t> Catalog::CountEvents(const EventQuery& query) {
  const Filter f = FilterOf(query);
  auto q = sql::Statement::Prepare(impl_->db, "SELECT COUNT(*) FROM recognition_events e" + f.sql);
  FACETAG_RETURN_IF_ERROR(q.status());
  f.Bind(*q);
  auto row = q->Step();
  FACETAG_RETURN_IF_ERROR(row.status());
  return q->Int(0);
}

Result<EventSummary> Catalog::SummarizeEvents(const EventQuery& query, int utc_offset_minutes) {
  if (query.limit < 1 || query.limit > kMaxEventSummaryRows)
    return InvalidArgument("limit must be 1.." + std::to_string(kMaxEventSummaryRows));
  if (utc_offset_minutes < -14 * 60 || utc_offset_minutes > 14 * 60)
    return InvalidArgument("a UTC offset is at most 14 hours");
  const Filter f = FilterOf(query);
  // Days are numbered from the day before the epoch, so that an early event minus a westward
  // offset still divides down (SQLite's integer division truncates towards zero).
  auto q = sql::Statement::Prepare(
      impl_->db,
      "SELECT (e.at_ms + ?) / 86400000 AS day, e.person_id, MAX(p.name), MIN(e.at_ms), MAX(e.at_ms), "
      "COUNT(*) FROM (SELECT * FROM recognition_events e" +
          f.sql +
          ") e LEFT JOIN persons p ON p.id = e.person_id "
          "GROUP BY day, e.person_id ORDER BY day DESC, e.person_id IS NOT NULL, e.person_id LIMIT ?");
  FACETAG_RETURN_IF_ERROR(q.status());
  q->Bind(1, int64_t{utc_offset_minutes} * 60000 + kMsPerDay);
  const int next = f.Bind(*q, 2);
  q->Bind(next, query.limit + 1);
  EventSummary out;
  while (true) {
    auto row = q->Step();
    FACETAG_RETURN_IF_ERROR(row.status());
    if (!*row) break;
    if (static_cast<int>(out.days.size()) == query.limit) {
      out.truncated = true;
      break;
    }
    EventDay d;
    d.day = FormatEventTime((q->Int(0) - 1) * kMsPerDay).substr(0, 10);
    d.person_id = q->IsNull(1) ? 0 : q->Int(1);
    d.person_name = q->Text(2);
    d.first_ms = q->Int(3);
    d.last_ms = q->Int(4);
    d.count = q->Int(5);
    out.days.push_back(std::move(d));
  }
  return out;
}

Result<int64_t> Catalog::DeleteEventsBefore(int64_t before_ms, int max_rows) {
  if (max_rows < 1) return InvalidArgument("max_rows must be positive");
  auto& db = impl_->db;
  auto s = sql::Statement::Prepare(db,
                                   "DELETE FROM recognition_events WHERE id IN (SELECT id FROM "
                                   "recognition_events WHERE at_ms < ? LIMIT ?)");
  FACETAG_RETURN_IF_ERROR(s.status());
  FACETAG_RETURN_IF_ERROR(s->Bind(1, before_ms).Bind(2, max_rows).Run());
  return static_cast<int64_t>(db.changes());
}

}  // namespace facetag
