// PlanSidecars: which photos `facetag xmp` writes, with which names.
#include <unordered_map>

#include "facetag/xmp.h"

namespace facetag {
namespace {

// `path` is `root` or lies beneath it (paths are absolute and normal in the catalog).
bool IsUnder(const std::string& path, const std::string& root) {
  if (path == root) return true;
  if (root.empty() || path.size() <= root.size() || path.compare(0, root.size(), root) != 0) return false;
  return root.back() == '/' || path[root.size()] == '/';
}

}  // namespace

Result<std::vector<SidecarPlan>> PlanSidecars(Catalog& catalog, const SidecarSelection& selection) {
  auto all = catalog.Export();
  FACETAG_RETURN_IF_ERROR(all.status());
  std::unordered_map<int64_t, const PersonRecord*> named;  // named and visible
  for (const PersonRecord& p : all->people) {
    if (!p.name.empty() && !p.hidden) named[p.id] = &p;
  }
  std::vector<std::string> roots;
  for (const auto& r : selection.roots) {
    std::error_code ec;
    const auto absolute = std::filesystem::absolute(r, ec);
    roots.push_back((ec ? r : absolute).lexically_normal().string());
  }

  std::vector<SidecarPlan> plans;
  for (ExportPhoto& p : all->photos) {
    if (p.photo.status != PhotoStatus::kOk) continue;  // missing or failed: no file to sit beside
    if (!roots.empty()) {
      bool under = false;
      for (const auto& root : roots) under = under || IsUnder(p.photo.path, root);
      if (!under) continue;
    }
    SidecarPlan plan;
    bool shows_person = selection.person_id == 0;
    for (const ExportFace& f : p.faces) {
      if (f.person_id != 0 && f.person_id == selection.person_id) shows_person = true;
      const auto it = named.find(f.person_id);
      if (it != named.end()) plan.regions.push_back({it->second->name, f.box});
    }
    if (!shows_person || plan.regions.empty()) continue;
    plan.photo = std::move(p.photo);
    plans.push_back(std::move(plan));
  }
  return plans;
}

}  // namespace facetag
