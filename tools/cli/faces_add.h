// facetag faces add PHOTO --box x,y,w,h: a face the detector missed, drawn by hand (the CLI's
// side of POST /api/v1/photos/{id}/faces).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace facetag::cli {

// Registers `add` under `faces`; returns what runs it once it is the parsed subcommand.
std::function<int()> AddFacesAddSubcommand(CLI::App& faces);

}  // namespace facetag::cli
