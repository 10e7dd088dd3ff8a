// facetag apikey create|list|revoke: the keys a non-loopback `facetag serve` accepts.
#include <cstdio>

#include "catalog_flags.h"
#include "commands.h"
#include "facetag/api_keys.h"

namespace facetag::cli {

Command AddApikeyCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("apikey", "Manage API keys of the HTTP service");
  cmd->require_subcommand(1);
  // `apikey create --name laptop --db lib.db`: options of `apikey` (--db) after the subcommand.
  cmd->fallthrough();
  struct Args {
    CatalogFlags catalog;
    std::string name, id;
  };
  auto args = std::make_shared<Args>();
  args->catalog.Register(*cmd);
  auto* create = cmd->add_subcommand("create", "Create a key (printed once; only its hash is kept)");
  create->add_option("--name", args->name, "What the key is for");
  auto* list = cmd->add_subcommand("list", "List keys (ids and names, never the keys)");
  auto* revoke = cmd->add_subcommand("revoke", "Revoke a key by id");
  revoke->add_option("id", args->id, "The key's id, as `list` prints it")->required();
  return {cmd, [args, create, list, revoke] {
            service::ApiKeyStore store(service::ApiKeyFile(args->catalog.Path()));
            if (create->parsed()) {
              auto key = store.Create(args->name);
              if (!key.ok()) return ReportError(key.status());
              std::printf("%s\n", key->c_str());
              std::fprintf(stderr, "facetag: store this key now; it cannot be shown again\n");
              return kExitOk;
            }
            if (list->parsed()) {
              auto keys = store.List();
              if (!keys.ok()) return ReportError(keys.status());
              for (const auto& k : *keys)
                std::printf("%s  created %lld  %s\n", k.id.c_str(), static_cast<long long>(k.created),
                            k.name.c_str());
              return kExitOk;
            }
            if (revoke->parsed()) {
              if (auto s = store.Revoke(args->id); !s.ok()) return ReportError(s);
              return kExitOk;
            }
            return kExitUsage;
          }};
}

}  // namespace facetag::cli
