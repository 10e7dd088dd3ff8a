// RunService with the bound port reported (tests listen on port 0).
#pragma once

#include <atomic>
#include <functional>

#include "facetag/service.h"

namespace facetag::service {
Status Serve(const ServeOptions& options, const ServiceHooks& hooks, const std::atomic<bool>* stop,
             std::function<void(uint16_t port)> on_listening);
// The OpenAPI 3 document of docs/API.md.
const char* OpenApiDocument();
}  // namespace facetag::service
