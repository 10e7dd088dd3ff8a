#include "event_flags.h"

#include "facetag/events.h"

namespace facetag::cli {

void EventFlags::Register(CLI::App& cmd) {
  cmd.add_option("--name", name,
                 "This node's name in answers (served_by) and recognition events (default: the host name)");
  cmd.add_flag("--record-events", record,
               "Record each face /recognize names (or not) as an event in the catalog (docs/EVENTS.md)");
  cmd.add_option("--events-retention", retention,
                 "Delete recognition events older than this: 90d, 12h, 2w (default: keep them all)");
}

Status EventFlags::Apply(std::string* node_name, RecognitionEventOptions* events) const {
  if (!name.empty()) {
    if (Status s = ValidateEventSource(name); !s.ok()) return InvalidArgument("--name: " + s.message());
  }
  *node_name = name;
  events->record = record;
  if (!retention.empty()) {
    if (!record) return InvalidArgument("--events-retention goes with --record-events");
    auto ms = ParseRetention(retention);
    if (!ms.ok()) return InvalidArgument("--events-retention: " + ms.status().message());
    events->retention_ms = *ms;
  }
  return Status::Ok();
}

}  // namespace facetag::cli
