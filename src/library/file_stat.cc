#include "library/file_stat.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace facetag::library {

Result<FileStat> StatFile(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0)
    return IoError("cannot stat " + file.string() + ": " + std::strerror(errno));
  FileStat out;
  out.size = static_cast<int64_t>(st.st_size);
  out.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return out;
}

}  // namespace facetag::library
