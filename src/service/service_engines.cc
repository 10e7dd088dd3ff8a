#include "service/service_engines.h"

#include <thread>

#include "facetag/models.h"
#include "pipeline/engine_pool.h"
#include "pipeline/face_steps.h"

namespace facetag::service {

Result<int> OpenServiceEngines(Context& ctx) {
  const ServeOptions& options = ctx.options;
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int workers = options.pipeline.workers > 0 ? options.pipeline.workers
                                                   : (options.batch_descriptors ? 2 * cores : cores);
  auto runners = pipeline::ResolveNetRunners(options.pipeline.engine);
  if (!runners.ok())
    return Status(runners.status().code(), "cannot start the face engine: " + runners.status().message());
  if (options.batch_descriptors) {
    const auto& dir = options.pipeline.engine.model_dir;
    auto batcher = DescriptorBatcher::Open(
        dir.empty() ? DefaultModelDir() : dir, runners->descriptor,
        options.descriptor_threads > 0 ? options.descriptor_threads : cores, &ctx.metrics);
    if (!batcher.ok())
      return Status(batcher.status().code(), "cannot start the face engine: " + batcher.status().message());
    ctx.batcher = std::move(*batcher);
  }
  ctx.engine_metrics = std::make_unique<EngineMetrics>(&ctx.metrics, ctx.batcher != nullptr);
  // Requests are often one face crop or a small photo: every engine fits its detector to the
  // image (face/fitted_detector.h), and so registering, verifying and recognising detect alike.
  EngineOptions engine_options = options.pipeline.engine;
  engine_options.fit_detector_to_image = true;
  // Under load every engine thread and the batcher are busy at once: nets with one thread each
  // keep the cores busy without thread teams spinning against each other.
  engine_options.inference_threads = 1;
  auto engines = pipeline::EnginePool::Open(engine_options, workers, [&ctx] {
    pipeline::EngineSeams seams;
    seams.observer = ctx.engine_metrics.get();
    if (ctx.batcher) seams.embedder = ctx.batcher->NewEmbedder();
    return seams;
  });
  FACETAG_RETURN_IF_ERROR(engines.status());
  ctx.queue = std::make_unique<WorkQueue>(std::move(*engines), std::max(1, options.queue_capacity),
                                          std::chrono::milliseconds(options.max_queue_wait_ms));
  return workers;
}

}  // namespace facetag::service
