#include "service/event_json.h"

namespace facetag::service {
namespace {

using json = nlohmann::json;

json PersonRef(int64_t id, const std::string& name) {
  return id ? json{{"id", id}, {"name", name}} : json(nullptr);
}

}  // namespace

json EventJson(const RecognitionEvent& e) {
  return {{"id", e.id},
          {"at", FormatEventTime(e.at_ms)},
          {"at_ms", e.at_ms},
          {"person", PersonRef(e.person_id, e.person_name)},
          {"distance", e.distance ? json(*e.distance) : json(nullptr)},
          {"source", e.source},
          {"served_by", e.served_by}};
}

json EventDayJson(const EventDay& d) {
  return {{"day", d.day},
          {"person", PersonRef(d.person_id, d.person_name)},
          {"first_seen", FormatEventTime(d.first_ms)},
          {"last_seen", FormatEventTime(d.last_ms)},
          {"first_seen_ms", d.first_ms},
          {"last_seen_ms", d.last_ms},
          {"count", d.count}};
}

}  // namespace facetag::service
