// facetag review: name a library from the terminal. Shows the faces still waiting for a name
// (facetag/review.h's queue: biggest groups, most confident suggestions first) one at a time and
// reads one answer per line, so it works at a prompt and with answers piped in:
//   1..9   the numbered suggestion          y / Enter on a suggestion  the first one
//   a name this is someone new (a name someone has asks "Same person?" and merges on y)
//   x      not a face (a group is hidden, a face taken off every person)
//   s      skip (asked again next time)     u  undo the last correction     q  quit
// --json / --merges list the queue / the merge suggestions and change nothing.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "catalog_flags.h"
#include "commands.h"
#include "facetag/text.h"
#include "facetag/review.h"

namespace facetag::cli {
namespace {

using json = nlohmann::json;

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::string Distance(float d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", d);
  return buf;
}

json ItemJson(Catalog& catalog, const ReviewItem& item) {
  json suggestions = json::array();
  for (const auto& s : item.suggestions)
    suggestions.push_back({{"person", s.person.id}, {"name", s.person.name}, {"distance", s.distance}});
  json j = {{"kind", item.target.person_id ? "group" : "face"},
            {"person", item.target.person_id ? json(item.target.person_id) : json(nullptr)},
            {"face", item.target.face_id ? json(item.target.face_id) : json(nullptr)},
            {"faces", item.face_ids},
            {"sample_face", item.sample_face_id},
            {"suggestions", suggestions}};
  if (auto face = catalog.GetFace(item.sample_face_id); face.ok()) {
    if (auto photo = catalog.GetPhoto(face->photo_id); photo.ok()) j["sample_path"] = photo->path;
  }
  return j;
}

std::string Describe(Catalog& catalog, const ReviewItem& item) {
  std::string what = item.target.person_id
                         ? "a group of " +
                               CountOf(static_cast<long long>(item.face_ids.size()), "face", "faces") +
                               " (person " + std::to_string(item.target.person_id) + ")"
                         : "face " + std::to_string(item.target.face_id);
  if (auto face = catalog.GetFace(item.sample_face_id); face.ok()) {
    if (auto photo = catalog.GetPhoto(face->photo_id); photo.ok()) {
      what += item.target.person_id ? ", e.g. face " + std::to_string(item.sample_face_id) + " in " : " in ";
      what += TerminalSafe(photo->path);
    }
  }
  return what;
}

bool SameTarget(const ReviewTarget& a, const ReviewTarget& b) {
  return a.person_id == b.person_id && a.face_id == b.face_id;
}

struct Tally {
  int named = 0, dismissed = 0, skipped = 0, undone = 0;
};

// One line of input; false at the end of input.
bool ReadAnswer(std::string* line) {
  if (!std::getline(std::cin, *line)) return false;
  *line = Trim(*line);
  return true;
}

int Interactive(Catalog& catalog, const ReviewOptions& options) {
  const bool tty = isatty(STDIN_FILENO);
  std::vector<ReviewTarget> skipped;
  Tally tally;
  while (true) {
    auto queue = ReviewQueue(catalog, options);
    if (!queue.ok()) return ReportError(queue.status());
    const ReviewItem* item = nullptr;
    for (const auto& candidate : *queue) {
      bool was_skipped = false;
      for (const auto& s : skipped) was_skipped |= SameTarget(s, candidate.target);
      if (!was_skipped) {
        item = &candidate;
        break;
      }
    }
    if (!item) {
      std::printf("%s\n", queue->empty() ? "everyone is named"
                                         : ("the rest (" +
                                            CountOf(static_cast<long long>(queue->size()), "item", "items") +
                                            ") was skipped: run `facetag review` again to see it")
                                               .c_str());
      break;
    }
    std::printf("\nWho is this? %s\n", Describe(catalog, *item).c_str());
    for (size_t i = 0; i < item->suggestions.size(); ++i) {
      const auto& s = item->suggestions[i];
      std::printf("  %zu) %s (person %lld, distance %s)\n", i + 1, TerminalSafe(s.person.name).c_str(),
                  static_cast<long long>(s.person.id), Distance(s.distance).c_str());
    }
    std::printf("%s", item->suggestions.empty()
                          ? "[a name, x not a face, s skip, u undo, q quit] "
                          : "[y or 1-9 a suggestion, a name, x not a face, s skip, u undo, q quit] ");
    std::fflush(stdout);
    std::string answer;
    if (!ReadAnswer(&answer)) {
      std::printf("\n");
      break;
    }
    if (!tty) std::printf("%s\n", answer.c_str());  // piped: show the answer as a terminal would
    if (answer == "q") break;
    if (answer == "s" || (answer.empty() && item->suggestions.empty())) {
      skipped.push_back(item->target);
      ++tally.skipped;
      continue;
    }
    if (answer == "u") {
      auto undone = catalog.UndoLastCorrection();
      if (!undone.ok()) {
        std::printf("%s\n", undone.status().message().c_str());
      } else {
        std::printf("undid: %s\n", TerminalSafe(undone->summary).c_str());
        ++tally.undone;
      }
      continue;
    }
    if (answer == "x") {
      if (Status s = DismissReviewItem(catalog, item->target); !s.ok()) return ReportError(s);
      std::printf("%s\n", item->target.person_id ? "hidden" : "not a face: left out");
      ++tally.dismissed;
      continue;
    }
    int64_t to = 0;
    if (answer.empty() || answer == "y") {
      to = item->suggestions.front().person.id;
    } else if (answer.size() == 1 && answer[0] >= '1' && answer[0] <= '9') {
      const size_t n = static_cast<size_t>(answer[0] - '1');
      if (n >= item->suggestions.size()) {
        std::printf("there is no suggestion %s\n", answer.c_str());
        continue;
      }
      to = item->suggestions[n].person.id;
    } else {
      auto named = NameReviewItem(catalog, item->target, answer);
      if (!named.ok()) {
        if (named.status().code() != ErrorCode::kInvalidArgument) return ReportError(named.status());
        std::printf("%s\n", named.status().message().c_str());  // a bad name: ask again
        continue;
      }
      if (named->taken_by == 0) {
        std::printf("named %s\n", TerminalSafe(answer).c_str());
        ++tally.named;
        continue;
      }
      std::printf("person %lld is called that already. Same person? [y/N] ",
                  static_cast<long long>(named->taken_by));
      std::fflush(stdout);
      std::string yes;
      if (!ReadAnswer(&yes)) break;
      if (!tty) std::printf("%s\n", yes.c_str());
      if (yes != "y" && yes != "Y") continue;
      to = named->taken_by;
    }
    if (Status s = AssignReviewItem(catalog, item->target, to); !s.ok()) return ReportError(s);
    auto person = catalog.GetPerson(to);
    std::printf("this is %s\n", person.ok() ? PersonLabel(*person).c_str() : "them");
    ++tally.named;
  }
  auto left = ReviewQueue(catalog, options);
  std::printf("named %d, not faces %d, skipped %d, undone %d; %s left to name\n", tally.named,
              tally.dismissed, tally.skipped, tally.undone,
              left.ok() ? CountOf(static_cast<long long>(left->size()), "item", "items").c_str() : "?");
  return kExitOk;
}

}  // namespace

Command AddReviewCommand(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("review", "Name the faces that have no name yet, one at a time (\"Who is this?\")");
  struct Args {
    bool json = false, merges = false;
    std::vector<std::string> different;
    float max_distance = ReviewOptions{}.max_distance;
    CatalogFlags catalog;
  };
  auto args = std::make_shared<Args>();
  args->catalog.Register(*cmd);
  cmd->add_flag("--json", args->json, "Print the queue (or, with --merges, the merge suggestions) as JSON");
  cmd->add_flag("--merges", args->merges,
                "List people who may be the same person (\"facetag merge A B\" joins them)");
  cmd->add_option("--different", args->different,
                  "Two people who are not the same person: never suggest merging them again")
      ->expected(2);
  cmd->add_option("--max-distance", args->max_distance, "Suggest people up to this descriptor distance")
      ->check(CLI::Range(0.0f, 2.0f));

  return {cmd, [args] {
            auto catalog = args->catalog.OpenExisting();
            if (!catalog.ok()) return ReportError(catalog.status());
            ReviewOptions options;
            options.max_distance = args->max_distance;
            if (!args->different.empty()) {
              auto a = ResolvePerson(**catalog, args->different[0]);
              if (!a.ok()) return ReportError(a.status());
              auto b = ResolvePerson(**catalog, args->different[1]);
              if (!b.ok()) return ReportError(b.status());
              if (Status s = (*catalog)->MarkDifferentPersons(a->id, b->id); !s.ok()) return ReportError(s);
              std::printf("%s and %s are different people\n", TerminalSafe(PersonLabel(*a)).c_str(),
                          TerminalSafe(PersonLabel(*b)).c_str());
              return kExitOk;
            }
            if (args->merges) {
              auto merges = SuggestMerges(**catalog, options);
              if (!merges.ok()) return ReportError(merges.status());
              json out = json::array();
              for (const auto& m : *merges) {
                if (args->json) {
                  out.push_back({{"keep", m.keep.person.id},
                                 {"other", m.other.person.id},
                                 {"keep_name", m.keep.person.name},
                                 {"other_name", m.other.person.name},
                                 {"distance", m.distance}});
                } else {
                  std::printf("%s (%s) and %s (%s): distance %s; facetag merge %lld %lld\n",
                              TerminalSafe(PersonLabel(m.keep.person)).c_str(),
                              CountOf(m.keep.face_count, "face", "faces").c_str(),
                              TerminalSafe(PersonLabel(m.other.person)).c_str(),
                              CountOf(m.other.face_count, "face", "faces").c_str(),
                              Distance(m.distance).c_str(), static_cast<long long>(m.keep.person.id),
                              static_cast<long long>(m.other.person.id));
                }
              }
              if (args->json) std::cout << out.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
              if (!args->json && merges->empty()) std::printf("no merge suggestions\n");
              return kExitOk;
            }
            if (args->json) {
              auto queue = ReviewQueue(**catalog, options);
              if (!queue.ok()) return ReportError(queue.status());
              json out = json::array();
              for (const auto& item : *queue) out.push_back(ItemJson(**catalog, item));
              std::cout << out.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
              return kExitOk;
            }
            return Interactive(**catalog, options);
          }};
}

Command AddUndoCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "undo", "Undo the last correction (name, merge, move, reject, hide, unassign); the last 10 are kept");
  struct Args {
    bool list = false;
    CatalogFlags catalog;
  };
  auto args = std::make_shared<Args>();
  args->catalog.Register(*cmd);
  cmd->add_flag("--list", args->list,
                "List the corrections that can be undone, newest first; change nothing");
  return {cmd, [args] {
            auto catalog = args->catalog.OpenExisting();
            if (!catalog.ok()) return ReportError(catalog.status());
            if (args->list) {
              auto recent = (*catalog)->RecentCorrections();
              if (!recent.ok()) return ReportError(recent.status());
              if (recent->empty()) std::printf("nothing to undo\n");
              for (const auto& c : *recent) std::printf("%s\n", TerminalSafe(c.summary).c_str());
              return kExitOk;
            }
            auto undone = (*catalog)->UndoLastCorrection();
            if (!undone.ok()) {
              std::fprintf(stderr, "facetag: %s\n", undone.status().message().c_str());
              return kExitSomeFailed;
            }
            std::printf("undid: %s\n", TerminalSafe(undone->summary).c_str());
            return kExitOk;
          }};
}

}  // namespace facetag::cli
