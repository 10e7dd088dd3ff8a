// Finding the photo files under a root: recursive, by extension, hidden entries skipped.
#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <system_error>

#include "facetag/indexer.h"
#include "library/object_photos.h"
#include "storage/object_url.h"

namespace facetag {
namespace fs = std::filesystem;
namespace {

// The formats the decoders read (AVIF goes through libheif).
constexpr std::array<std::string_view, 7> kPhotoExtensions = {".jpg",  ".jpeg", ".png", ".webp",
                                                              ".heic", ".heif", ".avif"};

bool IsHidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

std::string Normalized(const fs::path& p) {
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  if (ec) abs = p;
  std::string s = abs.lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace

bool IsPhotoFileName(const fs::path& file) {
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return std::find(kPhotoExtensions.begin(), kPhotoExtensions.end(), ext) != kPhotoExtensions.end();
}

ScannedRoot ScanRoot(const fs::path& root_in) {
  if (storage::IsObjectUrl(root_in.native())) return library::ScanObjectRoot(root_in.native());
  ScannedRoot out;
  out.root = Normalized(root_in);
  std::error_code ec;
  const fs::file_status st = fs::status(out.root, ec);
  if (ec || !fs::exists(st)) {
    out.status = NotFound("no such file or folder: " + out.root);
    return out;
  }
  if (fs::is_regular_file(st)) {
    // A file named on the command line is taken whatever its name: the user asked for it.
    out.files.push_back(out.root);
    return out;
  }
  if (!fs::is_directory(st)) {
    out.status = InvalidArgument(out.root + " is neither a folder nor a file");
    return out;
  }
  fs::recursive_directory_iterator it(out.root, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    out.status = IoError("cannot read folder " + out.root + ": " + ec.message());
    return out;
  }
  // Symlinked files are followed only while they resolve inside the root: a link in a photo
  // folder must not bring in (and let the service show) a file from elsewhere, which naming
  // that file directly would be refused for. (Symlinked folders are not entered at all.)
  const fs::path real_root = fs::canonical(out.root, ec);
  if (ec) {
    out.status = IoError("cannot resolve folder " + out.root + ": " + ec.message());
    return out;
  }
  const auto inside_root = [&real_root](const fs::path& link) {
    std::error_code link_ec;
    const fs::path target = fs::canonical(link, link_ec);
    if (link_ec) return false;
    const fs::path rel = target.lexically_relative(real_root);
    return !rel.empty() && *rel.begin() != "..";
  };
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;  // the folder changed under us or became unreadable: keep what was found
    const fs::directory_entry& entry = *it;
    if (IsHidden(entry.path())) {
      if (entry.is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (entry.is_regular_file(ec) && IsPhotoFileName(entry.path()) &&
        (!entry.is_symlink(ec) || inside_root(entry.path())))
      out.files.push_back(entry.path().string());
  }
  if (ec) {
    // Without the full listing, files not listed would wrongly be taken for deleted.
    out.files.clear();
    out.status = IoError("cannot read folder " + out.root + ": " + ec.message());
    return out;
  }
  std::sort(out.files.begin(), out.files.end());
  return out;
}

}  // namespace facetag
