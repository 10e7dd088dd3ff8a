// The catalog as a graph. Everything is derived from one Export() snapshot rather than from
// several queries (ListPersons, Together), so that counts, appearances and pairs always agree
// with each other even while `index` writes. The pair counts are the `together` query's
// (tests/export check that they match Catalog::Together for every person).
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "facetag/graph_export.h"

namespace facetag {

Result<PeopleGraph> ReadPeopleGraph(Catalog& catalog) {
  auto exported = catalog.Export();
  FACETAG_RETURN_IF_ERROR(exported.status());
  PeopleGraph g;
  std::unordered_map<int64_t, size_t> person_index;
  for (const PersonRecord& p : exported->people) {
    person_index[p.id] = g.persons.size();
    g.persons.push_back({p.id, p.name, p.hidden, 0, 0});
  }
  std::map<std::pair<int64_t, int64_t>, int64_t> appearances;  // (person, photo) -> faces
  std::map<std::pair<int64_t, int64_t>, int64_t> pairs;        // (a, b), a < b -> photos
  for (const ExportPhoto& ep : exported->photos) {
    const PhotoRecord& p = ep.photo;
    g.photos.push_back(
        {p.id, p.path, p.content_hash, ep.taken, p.width, p.height, PhotoStatusName(p.status)});
    std::set<int64_t> here;
    for (const ExportFace& f : ep.faces) {
      g.faces.push_back({f.id, p.id, f.person_id, f.box, f.score});
      if (f.person_id == 0 || !person_index.count(f.person_id)) continue;
      ++appearances[{f.person_id, p.id}];
      here.insert(f.person_id);
      ++g.persons[person_index[f.person_id]].faces;
    }
    for (auto a = here.begin(); a != here.end(); ++a) {
      ++g.persons[person_index[*a]].photos;
      for (auto b = std::next(a); b != here.end(); ++b) ++pairs[{*a, *b}];
    }
  }
  std::sort(g.photos.begin(), g.photos.end(), [](const auto& x, const auto& y) { return x.id < y.id; });
  std::sort(g.faces.begin(), g.faces.end(), [](const auto& x, const auto& y) { return x.id < y.id; });
  for (const auto& [key, faces] : appearances) g.appearances.push_back({key.first, key.second, faces});
  for (const auto& [key, photos] : pairs) g.pairs.push_back({key.first, key.second, photos});
  return g;
}

}  // namespace facetag
