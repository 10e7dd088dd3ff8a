#include "facetag/purge.h"

#include <system_error>

#include "storage/object_url.h"

namespace facetag {

std::filesystem::path UploadsDir(const std::filesystem::path& catalog) {
  return std::filesystem::absolute(catalog).parent_path() / "uploads";
}

Result<PurgeReport> PurgePhoto(Catalog& catalog, int64_t photo_id) {
  auto purged = catalog.PurgePhoto(photo_id);
  FACETAG_RETURN_IF_ERROR(purged.status());
  PurgeReport report;
  report.purged = std::move(*purged);
  const std::string& hash = report.purged.photo.content_hash;
  if (hash.empty()) return report;
  // Uploads are named <sha256>.<format>: every copy of this content goes, including ones no
  // longer catalogued (an upload whose registration failed half-way).
  const auto uploads = UploadsDir(catalog.path());
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(uploads, ec)) {
    if (entry.path().stem() != hash) continue;
    std::error_code remove_ec;
    if (std::filesystem::remove(entry.path(), remove_ec)) report.uploads_removed.push_back(entry.path());
    if (remove_ec)
      return IoError("photo forgotten, but its upload " + entry.path().string() +
                     " could not be deleted: " + remove_ec.message());
  }
  return report;
}

Result<int64_t> ResolvePhoto(Catalog& catalog, const std::string& arg) {
  if (arg.empty()) return InvalidArgument("a photo is an id or a path, not an empty string");
  std::error_code ec;
  const bool digits = arg.find_first_not_of("0123456789") == std::string::npos;
  if (digits && !std::filesystem::exists(arg, ec)) {
    const int64_t id = std::stoll(arg.substr(0, 18));
    auto photo = catalog.GetPhoto(id);
    if (!photo.ok() && photo.status().code() == ErrorCode::kNotFound)
      return NotFound("no photo with id " + arg);
    FACETAG_RETURN_IF_ERROR(photo.status());
    return id;
  }
  const std::string path = storage::IsObjectUrl(arg)
                               ? arg  // s3://bucket/key, as catalogued
                               : std::filesystem::absolute(arg, ec).lexically_normal().string();
  auto id = catalog.PhotoIdByPath(path);
  FACETAG_RETURN_IF_ERROR(id.status());
  if (!*id) return NotFound("no photo is catalogued at " + path);
  return **id;
}

}  // namespace facetag
