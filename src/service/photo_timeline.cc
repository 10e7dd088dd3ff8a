#include "service/photo_timeline.h"

#include <algorithm>
#include <cctype>

#include "service/api_error.h"
#include "service/catalog_json.h"
#include "service/request_params.h"

namespace facetag::service {

using json = nlohmann::json;

namespace {

constexpr int kDefaultTimelinePage = 100;
constexpr int kMaxTimelinePage = 1000;

// A cursor is "<taken>_<photo id>", e.g. "2021-06-01T10:00:00_42": readable in an address, and
// nothing the server has to remember.
std::string CursorText(const TimelineKey& key) { return key.taken + "_" + std::to_string(key.photo_id); }

std::optional<TimelineKey> ParseCursor(const std::string& text) {
  const auto cut = text.rfind('_');
  if (cut == std::string::npos || cut > 32) return std::nullopt;
  TimelineKey key{text.substr(0, cut), 0};
  for (char c : key.taken)
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == ':' || c == 'T' || c == ' '))
      return std::nullopt;
  const auto id = DecimalId(text.substr(cut + 1));
  if (!id) return std::nullopt;
  key.photo_id = *id;
  return key;
}

}  // namespace

json TimelineFields(const TimelinePhoto& entry) {
  return {{"taken", entry.key.taken},
          {"taken_from", entry.taken_from_exif ? "exif" : "file"},
          {"cursor", CursorText(entry.key)}};
}

HttpResponse TimelineAnswer(Catalog& catalog, const HttpRequest& req) {
  const auto limit = BoundedQuery(req, "limit", kDefaultTimelinePage, 1, kMaxTimelinePage);
  if (!limit)
    return ErrorResponse(400, "bad_request", "limit must be 1.." + std::to_string(kMaxTimelinePage));
  const std::string after = req.Query("cursor"), before = req.Query("before");
  if (!after.empty() && !before.empty())
    return ErrorResponse(400, "bad_request", "give cursor (older photos) or before (newer ones), not both");
  std::optional<TimelineKey> from;
  if (!after.empty() || !before.empty()) {
    from = ParseCursor(after.empty() ? before : after);
    if (!from)
      return ErrorResponse(400, "bad_request", "cursor must be a \"cursor\" value from an earlier answer");
  }
  const auto direction = before.empty() ? TimelineDirection::kOlder : TimelineDirection::kNewer;
  // One more than asked: whether there is a further page, without counting the library.
  auto page = catalog.Timeline(from, direction, static_cast<int>(*limit) + 1);
  if (!page.ok()) return StatusResponse(page.status());
  const bool more = page->size() > static_cast<size_t>(*limit);
  if (more) page->pop_back();
  if (direction == TimelineDirection::kNewer) std::reverse(page->begin(), page->end());
  json photos = json::array();
  for (const auto& entry : *page) {
    json p = PhotoJson(entry.photo, entry.face_count);
    p.update(TimelineFields(entry));
    photos.push_back(std::move(p));
  }
  json next = nullptr, previous = nullptr;
  // Newest first on the page either way: older photos follow its last, newer precede its first.
  const bool older_exist = direction == TimelineDirection::kOlder ? more : from.has_value();
  const bool newer_exist = direction == TimelineDirection::kNewer ? more : from.has_value();
  if (!page->empty() && older_exist) next = CursorText(page->back().key);
  if (!page->empty() && newer_exist) previous = CursorText(page->front().key);
  return JsonResponse(200, json{{"photos", photos}, {"next_cursor", next}, {"prev_cursor", previous}});
}

}  // namespace facetag::service
