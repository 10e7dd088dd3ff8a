// A request's way from the socket to its handler, in this order: the browser checks (Host
// allow-list, cross-site writes), the web UI's shell (no key needed), the API key, the JSON body
// (parsed here, once, with limits), then the route; metrics for every answer. The server calls
// it for every request; the HTTP fuzz target calls it the same way.
#pragma once

#include "facetag/api_keys.h"
#include "service/context.h"
#include "service/request_guard.h"

namespace facetag::service {

// `api_keys` null: no key is needed (a loopback bind).
void Dispatch(Context& ctx, const Router& router, const RequestGuard& guard, const ReloadingApiKeys* api_keys,
              HttpRequest& request, Respond respond);

}  // namespace facetag::service
