// A session made of several copies of one net: Run splits the batch between them and runs the
// parts on their own threads. Outputs are identical to one copy running the whole batch.
#pragma once

#include <memory>
#include <vector>

#include "nn/session.h"

namespace facetag::nn {

std::unique_ptr<InferenceSession> MakeShardedSession(std::vector<std::unique_ptr<InferenceSession>> shards);

}  // namespace facetag::nn
