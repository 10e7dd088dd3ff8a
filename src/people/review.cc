// The naming workflow (facetag/review.h): what still needs a name, who it probably is, and the
// answers, each one catalog correction.
#include "facetag/review.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "facetag/grouping_io.h"
#include "people/neighbor_search.h"

namespace facetag {

namespace {

// What the queue and the merge suggestions read: every face with its embedding and photo, the
// persons, the rejections.
struct Library {
  int dim = 0;
  std::vector<GroupingFaceRow> faces;
  std::vector<float> embeddings;
  std::map<int64_t, PersonRecord> persons;
  std::set<std::pair<int64_t, int64_t>> rejections;  // (face, person)
  // Per person: its faces (indices into `faces`), its photos and its mean descriptor.
  std::map<int64_t, std::vector<size_t>> faces_of;
  std::map<int64_t, std::set<int64_t>> photos_of;
  std::map<int64_t, std::vector<float>> mean_of;

  const float* Embedding(size_t i) const { return embeddings.data() + i * static_cast<size_t>(dim); }

  std::vector<float> Mean(const std::vector<size_t>& indices) const {
    std::vector<float> mean(static_cast<size_t>(dim), 0.f);
    for (size_t i : indices)
      for (int k = 0; k < dim; ++k) mean[k] += Embedding(i)[k];
    for (auto& v : mean) v /= static_cast<float>(std::max<size_t>(indices.size(), 1));
    return mean;
  }
  float Distance(const std::vector<float>& a, const float* b) const {
    return std::sqrt(people::SquaredL2(a.data(), b, dim));
  }
  // The face among `indices` closest to `point`.
  size_t Closest(const std::vector<size_t>& indices, const std::vector<float>& point) const {
    size_t best = indices.front();
    float best_d = std::numeric_limits<float>::infinity();
    for (size_t i : indices) {
      const float d = Distance(point, Embedding(i));
      if (d < best_d) best = i, best_d = d;
    }
    return best;
  }
};

Result<Library> ReadLibrary(Catalog& catalog) {
  Library lib;
  std::vector<FaceRejection> rejections;
  std::vector<PersonRecord> persons;
  bool mixed = false;
  auto read = ForEachGroupingFace(
      catalog,
      [&](const GroupingFaceRow& row, std::span<const float> embedding) {
        if (lib.dim == 0) lib.dim = static_cast<int>(embedding.size());
        if (static_cast<int>(embedding.size()) != lib.dim || lib.dim == 0) {
          mixed = true;
          return;
        }
        lib.faces.push_back(row);
        lib.embeddings.insert(lib.embeddings.end(), embedding.begin(), embedding.end());
      },
      &rejections, &persons);
  FACETAG_RETURN_IF_ERROR(read.status());
  if (mixed) return Corrupt("the catalog holds face descriptors of different sizes");
  for (const auto& p : persons) lib.persons[p.id] = p;
  for (const auto& r : rejections) lib.rejections.insert({r.face_id, r.person_id});
  for (size_t i = 0; i < lib.faces.size(); ++i) {
    const auto& f = lib.faces[i];
    if (f.person_id == 0) continue;
    lib.faces_of[f.person_id].push_back(i);
    lib.photos_of[f.person_id].insert(f.photo_id);
  }
  for (const auto& [id, indices] : lib.faces_of) lib.mean_of[id] = lib.Mean(indices);
  return lib;
}

std::vector<NameSuggestion> Suggest(const Library& lib, const std::vector<size_t>& item,
                                    const ReviewOptions& options) {
  const std::vector<float> mean = lib.Mean(item);
  std::vector<NameSuggestion> out;
  for (const auto& [id, person] : lib.persons) {
    if (person.name.empty() || person.hidden || !lib.mean_of.count(id)) continue;
    bool excluded = false;
    for (size_t i : item) {
      const auto& f = lib.faces[i];
      if (lib.rejections.count({f.face_id, id}) || lib.photos_of.at(id).count(f.photo_id)) excluded = true;
    }
    if (excluded) continue;
    const auto& theirs = lib.mean_of.at(id);
    const float d = std::sqrt(people::SquaredL2(mean.data(), theirs.data(), lib.dim));
    if (d > options.max_distance) continue;
    const size_t nearest = lib.Closest(lib.faces_of.at(id), mean);
    out.push_back({person, d, lib.faces[nearest].face_id});
  }
  std::sort(out.begin(), out.end(), [](const NameSuggestion& a, const NameSuggestion& b) {
    return a.distance != b.distance ? a.distance < b.distance : a.person.id < b.person.id;
  });
  if (out.size() > static_cast<size_t>(std::max(options.max_suggestions, 0)))
    out.resize(static_cast<size_t>(std::max(options.max_suggestions, 0)));
  return out;
}

// The item `target` names, as the queue would list it: NotFound when it is not waiting for a
// name (named, hidden, gone, or a face that has a person or was taken off by the user).
Status RequireWaiting(Catalog& catalog, const ReviewTarget& target) {
  if ((target.person_id == 0) == (target.face_id == 0))
    return InvalidArgument("a review item is a person (an unnamed group) or a face, exactly one");
  if (target.person_id) {
    auto p = catalog.GetPerson(target.person_id);
    FACETAG_RETURN_IF_ERROR(p.status());
    if (!p->name.empty()) return InvalidArgument("person " + std::to_string(p->id) + " has a name already");
    return Status::Ok();
  }
  auto f = catalog.GetFace(target.face_id);
  FACETAG_RETURN_IF_ERROR(f.status());
  if (f->person_id != 0)
    return InvalidArgument("face " + std::to_string(f->id) + " belongs to person " +
                           std::to_string(f->person_id) + ": review that person instead");
  return Status::Ok();
}

}  // namespace

Result<std::vector<ReviewItem>> ReviewQueue(Catalog& catalog, const ReviewOptions& options) {
  auto read = ReadLibrary(catalog);
  FACETAG_RETURN_IF_ERROR(read.status());
  const Library& lib = *read;
  std::vector<std::pair<ReviewItem, std::vector<size_t>>> items;
  for (const auto& [id, indices] : lib.faces_of) {
    const auto& person = lib.persons.at(id);
    if (!person.name.empty() || person.hidden) continue;
    ReviewItem item;
    item.target.person_id = id;
    for (size_t i : indices) item.face_ids.push_back(lib.faces[i].face_id);
    item.sample_face_id = lib.faces[lib.Closest(indices, lib.mean_of.at(id))].face_id;
    items.emplace_back(std::move(item), indices);
  }
  for (size_t i = 0; i < lib.faces.size(); ++i) {
    const auto& f = lib.faces[i];
    // A face the user took off every person is nobody on purpose: not asked about again.
    if (f.person_id != 0 || f.assignment == Assignment::kUser) continue;
    ReviewItem item;
    item.target.face_id = f.face_id;
    item.face_ids = {f.face_id};
    item.sample_face_id = f.face_id;
    items.emplace_back(std::move(item), std::vector<size_t>{i});
  }
  for (auto& [item, indices] : items) item.suggestions = Suggest(lib, indices, options);
  auto key = [](const ReviewItem& item) {
    const float best =
        item.suggestions.empty() ? std::numeric_limits<float>::infinity() : item.suggestions.front().distance;
    return std::make_tuple(-static_cast<int64_t>(item.face_ids.size()), best, item.sample_face_id);
  };
  std::sort(items.begin(), items.end(),
            [&](const auto& a, const auto& b) { return key(a.first) < key(b.first); });
  std::vector<ReviewItem> out;
  out.reserve(items.size());
  for (auto& [item, indices] : items) out.push_back(std::move(item));
  return out;
}

Result<std::vector<MergeSuggestion>> SuggestMerges(Catalog& catalog, const ReviewOptions& options) {
  auto read = ReadLibrary(catalog);
  FACETAG_RETURN_IF_ERROR(read.status());
  const Library& lib = *read;
  auto summaries = catalog.ListPersons(false);
  FACETAG_RETURN_IF_ERROR(summaries.status());
  std::vector<const PersonSummary*> visible;
  for (const auto& s : *summaries)
    if (s.face_count > 0 && lib.mean_of.count(s.person.id)) visible.push_back(&s);
  auto different = catalog.DifferentPersons();
  FACETAG_RETURN_IF_ERROR(different.status());
  const std::set<std::pair<int64_t, int64_t>> answered_no(different->begin(), different->end());
  std::vector<MergeSuggestion> out;
  for (size_t a = 0; a < visible.size(); ++a) {
    for (size_t b = a + 1; b < visible.size(); ++b) {
      const int64_t ia = visible[a]->person.id, ib = visible[b]->person.id;
      if (answered_no.count({std::min(ia, ib), std::max(ia, ib)})) continue;
      const auto &ma = lib.mean_of.at(ia), &mb = lib.mean_of.at(ib);
      const float d = std::sqrt(people::SquaredL2(ma.data(), mb.data(), lib.dim));
      if (d > options.max_distance) continue;
      // Seen together in a photo: two people, however alike.
      const auto &pa = lib.photos_of.at(ia), &pb = lib.photos_of.at(ib);
      if (std::any_of(pa.begin(), pa.end(), [&](int64_t photo) { return pb.count(photo) > 0; })) continue;
      const PersonSummary *keep = visible[a], *other = visible[b];
      auto rank = [](const PersonSummary* s) {
        return std::make_tuple(s->person.name.empty(), -s->face_count, s->person.id);
      };
      if (rank(other) < rank(keep)) std::swap(keep, other);
      out.push_back({*keep, *other, d});
    }
  }
  std::sort(out.begin(), out.end(), [](const MergeSuggestion& x, const MergeSuggestion& y) {
    return std::make_tuple(x.distance, x.keep.person.id, x.other.person.id) <
           std::make_tuple(y.distance, y.keep.person.id, y.other.person.id);
  });
  return out;
}

Result<std::optional<PersonRecord>> NameTakenBy(Catalog& catalog, const std::string& name, int64_t except) {
  if (name.empty()) return std::optional<PersonRecord>();
  auto same = catalog.FindPersonsByName(name);
  FACETAG_RETURN_IF_ERROR(same.status());
  for (const auto& p : *same)
    if (p.id != except) return std::optional<PersonRecord>(p);
  return std::optional<PersonRecord>();
}

Status AssignReviewItem(Catalog& catalog, const ReviewTarget& target, int64_t person_id) {
  FACETAG_RETURN_IF_ERROR(RequireWaiting(catalog, target));
  FACETAG_RETURN_IF_ERROR(catalog.GetPerson(person_id));
  if (target.person_id) {
    if (target.person_id == person_id) return InvalidArgument("a person cannot be merged into itself");
    return catalog.MergePersons({person_id, target.person_id});
  }
  return catalog.MoveFace(target.face_id, person_id);
}

Result<NamingOutcome> NameReviewItem(Catalog& catalog, const ReviewTarget& target, const std::string& name) {
  if (name.empty()) return InvalidArgument("a name is needed");
  FACETAG_RETURN_IF_ERROR(ValidatePersonName(name));
  FACETAG_RETURN_IF_ERROR(RequireWaiting(catalog, target));
  auto taken = NameTakenBy(catalog, name, target.person_id);
  FACETAG_RETURN_IF_ERROR(taken.status());
  if (*taken) return NamingOutcome{0, (*taken)->id};
  if (target.person_id) {
    FACETAG_RETURN_IF_ERROR(catalog.NamePerson(target.person_id, name));
    return NamingOutcome{target.person_id, 0};
  }
  auto created = catalog.MoveFaceToNewPerson(target.face_id, name);
  FACETAG_RETURN_IF_ERROR(created.status());
  return NamingOutcome{*created, 0};
}

Status DismissReviewItem(Catalog& catalog, const ReviewTarget& target) {
  FACETAG_RETURN_IF_ERROR(RequireWaiting(catalog, target));
  if (target.person_id) return catalog.HidePerson(target.person_id, true);
  return catalog.UnassignFace(target.face_id);
}

}  // namespace facetag
