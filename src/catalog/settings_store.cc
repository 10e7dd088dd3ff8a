// Text settings of the catalog (the settings table): what its photos were analysed with.
#include "catalog/catalog_impl.h"

namespace facetag {

using namespace catalog_internal;

namespace {
constexpr const char* kAnalysisKey = "analysis";
}  // namespace

Result<std::string> Catalog::AnalysisSettings() {
  auto q = sql::Statement::Prepare(impl_->db, "SELECT value FROM settings WHERE key = ?");
  FACETAG_RETURN_IF_ERROR(q.status());
  auto row = q->Bind(1, kAnalysisKey).Step();
  FACETAG_RETURN_IF_ERROR(row.status());
  return *row ? q->Text(0) : std::string();
}

Status Catalog::RecordAnalysisSettings(const std::string& words) {
  auto s = sql::Statement::Prepare(impl_->db, "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)");
  FACETAG_RETURN_IF_ERROR(s.status());
  return s->Bind(1, kAnalysisKey).Bind(2, words).Run();
}

}  // namespace facetag
