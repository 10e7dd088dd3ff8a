// What every command that works on the catalog shares: the --db option, opening it, and
// turning the user's person and face arguments (ids or names) into catalog records.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "facetag/catalog.h"

namespace facetag::cli {

struct CatalogFlags {
  std::string db;  // empty: DefaultCatalogPath() ($FACETAG_DB, else the XDG data folder)

  void Register(CLI::App& cmd);
  std::filesystem::path Path() const;
  // Creates the catalog if there is none yet (for `index`). For writing: a catalog this
  // process cannot write is an error ("catalog is read-only: ...").
  Result<std::unique_ptr<Catalog>> Open() const;
  // For the commands that only make sense on an existing catalog: a clear error, not an empty
  // catalog created somewhere unexpected, when the path is wrong. For writing, as Open().
  Result<std::unique_ptr<Catalog>> OpenExisting() const;
  // For the commands that only read (people, photos, whois, export...): a catalog this process
  // cannot write (a read-only folder, file or mount) is read as it is.
  Result<std::unique_ptr<Catalog>> OpenForReading() const;
};

// "facetag: <message>" on stderr; returns the exit code for it (2 for a malformed argument,
// 1 otherwise).
int ReportError(const Status& status);

// A person argument: a number is an id, anything else a name that must belong to exactly one
// person (names compare case-insensitively).
Result<PersonRecord> ResolvePerson(Catalog& catalog, const std::string& arg);
// A face argument: its id, as `people`, `export` and `whois` print them.
Result<FaceRecord> ResolveFace(Catalog& catalog, const std::string& arg);
// Several faces in one argument, "12,13,20": their ids, every one of them known (NotFound names
// the unknown ones).
Result<std::vector<int64_t>> ResolveFaces(Catalog& catalog, const std::string& arg);
// One face ("12") or several ("12,13,20"): the commands then correct them all in one go.
inline bool NamesSeveralFaces(const std::string& arg) { return arg.find(',') != std::string::npos; }

// "Amy" or "person 12" for people without a name.
std::string PersonLabel(const PersonRecord& person);

}  // namespace facetag::cli
