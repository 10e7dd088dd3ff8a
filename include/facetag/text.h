// Strings that come from outside (file names, person names typed anywhere) made safe to show:
// as valid UTF-8 in JSON, and without control characters on a terminal.
#pragma once

#include <string>
#include <string_view>

namespace facetag {

bool IsValidUtf8(std::string_view text);
// `text` with every byte that is not part of a valid UTF-8 sequence replaced by U+FFFD.
std::string ToValidUtf8(std::string_view text);
// For a terminal: ToValidUtf8, then control characters (C0, DEL, C1) written as \xNN, so a name
// holding escape sequences cannot move the cursor, recolour or retitle the user's terminal.
std::string TerminalSafe(std::string_view text);

}  // namespace facetag
