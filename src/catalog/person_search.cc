// Finding people by name, in the order the people page asks for. Names are matched in memory,
// folded (lower case, Latin accents dropped): SQLite's LIKE folds ASCII only, so "zoe" would
// miss "Zoë". A catalog has far fewer people than faces, so the one grouped query of
// ListPersons is the cost.
#include <algorithm>
#include <string>

#include "catalog/catalog_impl.h"

namespace facetag {

namespace {

// U+00C0..U+00FF folded to an ASCII letter ('\0': kept as it is).
constexpr char kLatin1Fold[] =
    "aaaaaaaceeeeiiii"    // À..Ï
    "dnooooo\0ouuuuyts"   // Ð..ß (× kept)
    "aaaaaaaceeeeiiii"    // à..ï
    "dnooooo\0ouuuuyty";  // ð..ÿ (÷ kept)

// Lower case ASCII and the accented Latin-1 letters folded to their base letter, so that a
// typed query matches however the name was spelled. Other text is compared as it is.
std::string FoldForSearch(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
      continue;
    }
    // Two-byte UTF-8 for U+00C0..U+00FF: 0xC3 0x80..0xBF.
    if (c == 0xC3 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0xBF && kLatin1Fold[next - 0x80] != '\0') {
        out += kLatin1Fold[next - 0x80];
        ++i;
        continue;
      }
    }
    out += static_cast<char>(c);
  }
  return out;
}

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<PersonSort> ParsePersonSort(std::string_view text) {
  if (text == "faces") return PersonSort::kFaces;
  if (text == "name") return PersonSort::kName;
  if (text == "recent") return PersonSort::kRecent;
  return std::nullopt;
}

std::optional<PersonFilter> ParsePersonFilter(std::string_view text) {
  if (text == "all") return PersonFilter::kAll;
  if (text == "named") return PersonFilter::kNamed;
  if (text == "unnamed") return PersonFilter::kUnnamed;
  return std::nullopt;
}

Result<std::vector<PersonSummary>> Catalog::FindPersons(const PersonQuery& query) {
  auto all = ListPersons(query.include_hidden);
  FACETAG_RETURN_IF_ERROR(all.status());
  std::vector<PersonSummary> persons = std::move(*all);
  const std::string wanted = FoldForSearch(query.text);
  const bool by_id = AllDigits(query.text);  // names are never all digits (ValidatePersonName)
  std::erase_if(persons, [&](const PersonSummary& p) {
    const bool named = !p.person.name.empty();
    if (query.filter == PersonFilter::kNamed && !named) return true;
    if (query.filter == PersonFilter::kUnnamed && named) return true;
    if (wanted.empty()) return false;
    if (by_id) return std::to_string(p.person.id) != query.text;
    return FoldForSearch(p.person.name).find(wanted) == std::string::npos;
  });
  switch (query.sort) {
    case PersonSort::kFaces:
      break;  // ListPersons' own order: most faces first, then id
    case PersonSort::kName: {
      std::vector<std::pair<std::string, PersonSummary*>> keyed;
      for (auto& p : persons) keyed.emplace_back(FoldForSearch(p.person.name), &p);
      std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
        const bool a_unnamed = a.first.empty(), b_unnamed = b.first.empty();
        if (a_unnamed != b_unnamed) return b_unnamed;  // unnamed last
        if (a.first != b.first) return a.first < b.first;
        return a.second->person.id < b.second->person.id;
      });
      std::vector<PersonSummary> sorted;
      sorted.reserve(persons.size());
      for (auto& [key, p] : keyed) sorted.push_back(std::move(*p));
      persons = std::move(sorted);
      break;
    }
    case PersonSort::kRecent:
      std::stable_sort(persons.begin(), persons.end(), [](const PersonSummary& a, const PersonSummary& b) {
        if (a.newest_face_id != b.newest_face_id) return a.newest_face_id > b.newest_face_id;
        return a.person.id < b.person.id;
      });
      break;
  }
  return persons;
}

}  // namespace facetag
