#include "library/index_rules.h"

namespace facetag::library {

Result<StatCheck> CheckByStat(Catalog& catalog, const std::string& path, const FileStat& stat) {
  auto known = catalog.FindByPathAndStat(path, stat);
  FACETAG_RETURN_IF_ERROR(known.status());
  StatCheck check;
  if (!known->has_value()) return check;
  check.unchanged = true;
  if ((*known)->status == PhotoStatus::kFailed) check.failed_error = (*known)->error;
  return check;
}

Result<int64_t> ReusablePhotoByContent(Catalog& catalog, const std::string& content_hash) {
  if (content_hash.empty()) return int64_t{0};
  auto known = catalog.FindByHash(content_hash);
  FACETAG_RETURN_IF_ERROR(known.status());
  if (!known->has_value() || (*known)->status == PhotoStatus::kFailed) return int64_t{0};
  return (*known)->id;
}

}  // namespace facetag::library
