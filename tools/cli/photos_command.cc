// facetag photos --person NAME [--with NAME]... | --text WORDS: the photos in which all of them
// appear, or whose caption and tags (facetag annotate) hold the words; both: photos that match
// both.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "catalog_flags.h"
#include "commands.h"
#include "facetag/text.h"

namespace facetag::cli {

Command AddPhotosCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("photos",
                                 "Photos of a person (optionally with others), or found by caption and tags");
  struct Args {
    std::string person;
    std::vector<std::string> with;
    std::string text;
    bool json = false;
    CatalogFlags catalog;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--person", args->person, "Person id or name");
  cmd->add_option("--with", args->with, "Someone else who must be in the photo too (repeatable)");
  cmd->add_option("--text", args->text, "Words the caption or tags must hold (see `facetag annotate`)");
  cmd->add_flag("--json", args->json, "Print a JSON array of {path, status, caption?, tags?}");
  args->catalog.Register(*cmd);

  return {cmd, [args] {
            if (args->person.empty() && args->text.empty())
              return ReportError(
                  InvalidArgument("photos of whom, or with which words? (--person P or --text WORDS)"));
            if (args->person.empty() && !args->with.empty())
              return ReportError(InvalidArgument("--with needs --person"));
            auto catalog = args->catalog.OpenForReading();
            if (!catalog.ok()) return ReportError(catalog.status());
            std::vector<PhotoRecord> photos;
            if (!args->person.empty()) {
              std::vector<int64_t> ids;
              std::vector<std::string> wanted = {args->person};
              wanted.insert(wanted.end(), args->with.begin(), args->with.end());
              for (const auto& arg : wanted) {
                auto person = ResolvePerson(**catalog, arg);
                if (!person.ok()) return ReportError(person.status());
                ids.push_back(person->id);
              }
              auto with = (*catalog)->PhotosWithAll(ids);
              if (!with.ok()) return ReportError(with.status());
              photos = std::move(*with);
            }
            if (!args->text.empty()) {
              auto found = (*catalog)->SearchPhotosByText(args->text);
              if (!found.ok()) return ReportError(found.status());
              if (args->person.empty()) {
                photos = std::move(*found);
              } else {
                std::unordered_set<int64_t> hits;
                for (const auto& p : *found) hits.insert(p.id);
                std::erase_if(photos, [&](const PhotoRecord& p) { return !hits.count(p.id); });
              }
            }
            if (args->json) {
              nlohmann::json out = nlohmann::json::array();
              for (const PhotoRecord& p : photos) {
                nlohmann::json j = {{"path", p.path}, {"status", PhotoStatusName(p.status)}};
                auto a = (*catalog)->GetAnnotation(p.id);
                if (a.ok() && a->has_value() && (*a)->content_hash == p.content_hash) {
                  j["caption"] = (*a)->caption;
                  j["tags"] = (*a)->tags;
                }
                out.push_back(std::move(j));
              }
              std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
              return kExitOk;
            }
            const bool to_terminal = ::isatty(STDOUT_FILENO) == 1;
            for (const PhotoRecord& p : photos) {
              // On a terminal a file name cannot carry escape sequences to it; piped, the
              // bytes stay exact so that scripts can open the files.
              const std::string path = to_terminal ? TerminalSafe(p.path) : p.path;
              std::printf("%s%s\n", path.c_str(), p.status == PhotoStatus::kMissing ? "  (missing)" : "");
            }
            return kExitOk;
          }};
}

}  // namespace facetag::cli
