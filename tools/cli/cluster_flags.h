// What every command that talks to a cluster head shares: --head and --token.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "facetag/cluster.h"

namespace facetag::cli {

struct ClusterFlags {
  std::string head;   // nats://HOST:PORT
  std::string token;  // empty: $FACETAG_CLUSTER_TOKEN

  // `required`: the command makes no sense without a head (worker, jobs, cluster status).
  void Register(CLI::App& cmd, bool required) {
    auto* opt = cmd.add_option("--head", head, "The cluster head's NATS address, nats://HOST:PORT");
    if (required) opt->required();
    cmd.add_option("--token", token, "The cluster token (default: $FACETAG_CLUSTER_TOKEN)");
  }
  ClusterEndpoint Endpoint() const { return {head, token}; }
};

}  // namespace facetag::cli
