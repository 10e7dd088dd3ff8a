#include "catalog_flags.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "commands.h"
#include "facetag/text.h"

namespace facetag::cli {
namespace {

// Digits only, no sign, no spaces: "12" is an id, "12b" or "-3" is not.
std::optional<int64_t> ParseId(const std::string& arg) {
  int64_t id = 0;
  const auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), id);
  if (ec != std::errc() || end != arg.data() + arg.size() || arg.empty() || arg[0] == '-' || id <= 0) {
    return std::nullopt;
  }
  return id;
}

}  // namespace

void CatalogFlags::Register(CLI::App& cmd) {
  cmd.add_option("--db", db, "Catalog file (default: $FACETAG_DB, else $XDG_DATA_HOME/facetag/catalog.db)");
}

std::filesystem::path CatalogFlags::Path() const {
  return db.empty() ? DefaultCatalogPath() : std::filesystem::path(db);
}

namespace {

Result<std::unique_ptr<Catalog>> OpenAt(const std::filesystem::path& path, bool for_writing) {
  auto catalog = Catalog::Open(path);
  if (!catalog.ok()) {
    return Status(catalog.status().code(),
                  "cannot open the catalog " + path.string() + ": " + catalog.status().message());
  }
  if (for_writing && !(*catalog)->read_only().empty()) {
    return IoError("catalog is read-only: " + path.string() + " (" + (*catalog)->read_only() +
                   "); this command changes it");
  }
  return catalog;
}

Result<std::unique_ptr<Catalog>> OpenExistingAt(const std::filesystem::path& path, bool for_writing) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return NotFound("no catalog at " + path.string() + " (run `facetag index PATH...` first, or pass --db)");
  }
  return OpenAt(path, for_writing);
}

}  // namespace

Result<std::unique_ptr<Catalog>> CatalogFlags::Open() const { return OpenAt(Path(), true); }

Result<std::unique_ptr<Catalog>> CatalogFlags::OpenExisting() const { return OpenExistingAt(Path(), true); }

Result<std::unique_ptr<Catalog>> CatalogFlags::OpenForReading() const {
  return OpenExistingAt(Path(), false);
}

int ReportError(const Status& status) {
  std::fprintf(stderr, "facetag: %s\n", status.message().c_str());
  return status.code() == ErrorCode::kInvalidArgument ? kExitUsage : kExitSomeFailed;
}

Result<PersonRecord> ResolvePerson(Catalog& catalog, const std::string& arg) {
  if (const auto id = ParseId(arg)) {
    auto person = catalog.GetPerson(*id);
    if (!person.ok() && person.status().code() == ErrorCode::kNotFound) {
      return NotFound("no person with id " + arg + " (see `facetag people`)");
    }
    return person;
  }
  if (arg.empty()) return InvalidArgument("a person is an id or a name, not an empty string");
  auto found = catalog.FindPersonsByName(arg);
  if (!found.ok()) return found.status();
  if (found->empty()) return NotFound("nobody is named \"" + arg + "\" (see `facetag people`)");
  if (found->size() > 1) {
    std::string ids;
    for (const auto& p : *found) ids += (ids.empty() ? "" : ", ") + std::to_string(p.id);
    return NotFound(std::to_string(found->size()) + " people are named \"" + arg + "\" (ids " + ids +
                    "): give an id, or merge them");
  }
  return found->front();
}

Result<FaceRecord> ResolveFace(Catalog& catalog, const std::string& arg) {
  const auto id = ParseId(arg);
  if (!id) return InvalidArgument("a face is given by its id (a positive number), not \"" + arg + "\"");
  auto face = catalog.GetFace(*id);
  if (!face.ok() && face.status().code() == ErrorCode::kNotFound) {
    return NotFound("no face with id " + arg + " (see `facetag export --json`)");
  }
  return face;
}

Result<std::vector<int64_t>> ResolveFaces(Catalog& catalog, const std::string& arg) {
  std::vector<int64_t> ids;
  for (size_t start = 0; start <= arg.size();) {
    size_t comma = arg.find(',', start);
    if (comma == std::string::npos) comma = arg.size();
    const std::string one = arg.substr(start, comma - start);
    const auto id = ParseId(one);
    if (!id)
      return InvalidArgument("faces are given by their ids (positive numbers, comma-separated), not \"" +
                             one + "\"");
    if (std::find(ids.begin(), ids.end(), *id) == ids.end()) ids.push_back(*id);
    start = comma + 1;
  }
  auto unknown = catalog.UnknownFaces(ids);
  FACETAG_RETURN_IF_ERROR(unknown.status());
  if (!unknown->empty()) {
    std::string list;
    for (int64_t id : *unknown) list += (list.empty() ? "" : ", ") + std::to_string(id);
    return NotFound("no face with id " + list + " (see `facetag export --json`); nothing was changed");
  }
  return ids;
}

std::string PersonLabel(const PersonRecord& person) {
  // For the terminal: a name cannot carry escape sequences to it.
  return person.name.empty() ? "person " + std::to_string(person.id) : TerminalSafe(person.name);
}

}  // namespace facetag::cli
