// Opening a FaceEngine with the seams a long-running caller needs. The public FaceEngine::Open
// is this with none.
#pragma once

#include <memory>

#include "face/embedder.h"
#include "facetag/engine.h"

namespace facetag::pipeline {

struct EngineSeams {
  // Hears each stage's time (not owned; outlives the engine). Null: stage times only.
  StageObserver* observer = nullptr;
  // Describes the faces instead of a descriptor net of the engine's own (the service's batcher,
  // shared by every engine). Null: the engine opens its own.
  std::unique_ptr<face::FaceEmbedder> embedder;
};

Result<std::unique_ptr<FaceEngine>> OpenFaceEngine(const EngineOptions& options, EngineSeams seams);

}  // namespace facetag::pipeline
