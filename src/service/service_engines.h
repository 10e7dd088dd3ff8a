// The engines every request is analysed on, set up as requests need them (fitted detector, one
// thread per net, descriptors optionally batched): decided once here rather than in RunService.
#pragma once

#include "facetag/status.h"
#include "service/context.h"

namespace facetag::service {

// Fills ctx.batcher (with --batch-descriptors), ctx.engine_metrics and ctx.queue from
// ctx.options, declaring the engines' metrics in ctx.metrics. Returns how many engines run.
Result<int> OpenServiceEngines(Context& ctx);

}  // namespace facetag::service
