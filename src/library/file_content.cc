#include "library/file_content.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "facetag/catalog.h"
#include "library/object_photos.h"
#include "storage/object_url.h"

namespace facetag::library {

FileContent ReadFileContent(const std::string& path, uint64_t max_bytes) {
  if (storage::IsObjectUrl(path)) return ReadObjectContent(path, max_bytes);
  FileContent out;
  // open() then fstat() on the descriptor, so the checks and the read see the same file;
  // O_NONBLOCK keeps a FIFO from hanging the open (regular files ignore it).
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    const int err = errno;
    out.status = (err == ENOENT || err == ENOTDIR)
                     ? NotFound("no such file: " + path)
                     : IoError("cannot open " + path + ": " + std::strerror(err));
    return out;
  }
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    out.status = IoError("cannot stat " + path + ": " + std::strerror(errno));
    return out;
  }
  if (!S_ISREG(st.st_mode)) {
    out.status = InvalidArgument(path + " is not a regular file");
    return out;
  }
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size > max_bytes) {
    auto hash = HashFile(path);
    if (hash.ok()) out.hash = *hash;
    out.status =
        TooLarge(path + " is " + std::to_string(size) + " bytes, limit is " + std::to_string(max_bytes));
    return out;
  }
  out.bytes.resize(static_cast<size_t>(size));
  size_t done = 0;
  while (done < out.bytes.size()) {
    const ssize_t n = ::read(fd, out.bytes.data() + done, out.bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      out.status = n < 0 ? IoError("cannot read " + path + ": " + std::strerror(errno))
                         : IoError(path + " shrank while it was being read");
      out.bytes.clear();
      return out;
    }
    done += static_cast<size_t>(n);
  }
  // An empty file is still content (the hash of nothing): the decoder says why it is no photo.
  out.hash = HashBytes(out.bytes);
  return out;
}

}  // namespace facetag::library
