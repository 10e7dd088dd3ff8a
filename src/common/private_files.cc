#include "common/private_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace facetag {

Status CreatePrivateDirectories(const std::filesystem::path& dir) {
  if (dir.empty()) return Status::Ok();
  std::vector<std::filesystem::path> missing;
  std::error_code ec;
  for (auto p = dir; !p.empty() && !std::filesystem::exists(p, ec); p = p.parent_path()) {
    missing.push_back(p);
    if (p == p.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    // mkdir's mode is masked by the umask, which may only take bits away from 0700.
    if (::mkdir(it->c_str(), 0700) != 0 && errno != EEXIST)
      return IoError("cannot create " + it->string() + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Status CreatePrivateFile(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Status::Ok();
    return IoError("cannot create " + file.string() + ": " + std::strerror(errno));
  }
  ::close(fd);
  return Status::Ok();
}

}  // namespace facetag
