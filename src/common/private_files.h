// Files that hold names, faces and embeddings are the user's alone: folders facetag creates are
// 0700 and files 0600, whatever the umask (a 022 umask would make them world-readable).
#pragma once

#include <filesystem>

#include "facetag/status.h"

namespace facetag {

// Creates `dir` and its missing parents with mode 0700; folders that exist are left as they are
// (a user's photo tree or $HOME is not ours to change).
Status CreatePrivateDirectories(const std::filesystem::path& dir);
// Creates `file` empty with mode 0600 if it does not exist (an existing one is left alone), so
// that whatever writes it next (SQLite, an upload) inherits a private file.
Status CreatePrivateFile(const std::filesystem::path& file);

}  // namespace facetag
