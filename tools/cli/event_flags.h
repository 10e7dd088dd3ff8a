// What `serve` and `head` share about recognition events and naming the node: --name,
// --record-events and --events-retention.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "facetag/service.h"

namespace facetag::cli {

struct EventFlags {
  std::string name;
  bool record = false;
  std::string retention;  // "90d"; empty: keep every event

  void Register(CLI::App& cmd);
  // InvalidArgument for a malformed retention period or node name.
  Status Apply(std::string* node_name, RecognitionEventOptions* events) const;
};

}  // namespace facetag::cli
