#include "engine_flags.h"

namespace facetag::cli {

void EngineFlags::Register(CLI::App& cmd) {
  cmd.add_option("--detector", detector, "Face detector: ssd (accurate) or tiny (fast)")
      ->check(CLI::IsMember({"ssd", "tiny"}))
      ->capture_default_str();
  cmd.add_option("--backend", backend,
                 "Inference backend: onednn, opencv, or auto (per net, the fastest measured on this CPU)")
      ->check(CLI::IsMember({"auto", "onednn", "opencv"}))
      ->capture_default_str();
  cmd.add_option("--precision", precision,
                 "Arithmetic of the nets: f32, bf16 (oneDNN on AVX512-BF16/AMX CPUs, at parity), int8 "
                 "(oneDNN, SSD detector only: faster, same faces, descriptors not at parity), or auto "
                 "(per net, the fastest at parity on this CPU)")
      ->check(CLI::IsMember({"auto", "f32", "bf16", "int8"}))
      ->capture_default_str();
  cmd.add_option("--model-dir", model_dir, "Converted models (default: $FACETAG_MODEL_DIR or the cache)");
  cmd.add_option("--workers", workers, "Worker threads (0: one per core)")->check(CLI::NonNegativeNumber);
  cmd.add_option("--max-megapixels", max_megapixels, "Refuse images larger than this")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd.add_option("--decode-min-side", decode_min_side,
                 "Decode big JPEGs at 1/2, 1/4 or 1/8 scale while the long side stays >= this (0: full size)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
}

PhotoPipelineOptions EngineFlags::ToOptions() const {
  PhotoPipelineOptions o;
  o.engine.detector = detector == "tiny" ? DetectorKind::kTiny : DetectorKind::kSsd;
  o.engine.model_dir = model_dir;
  o.engine.backend = backend == "onednn"   ? InferenceBackend::kOneDnn
                     : backend == "opencv" ? InferenceBackend::kOpenCv
                                           : InferenceBackend::kAuto;
  o.engine.precision = precision == "f32"    ? InferencePrecision::kF32
                       : precision == "bf16" ? InferencePrecision::kBf16
                       : precision == "int8" ? InferencePrecision::kInt8
                                             : InferencePrecision::kAuto;
  o.workers = workers;
  o.decode.max_pixels = static_cast<uint64_t>(max_megapixels * 1e6);
  o.decode.min_long_side = decode_min_side;
  if (o.engine.backend == InferenceBackend::kAuto) MeasureAutoBackendVisibly(o.engine.model_dir);
  return o;
}

void MeasureAutoBackendVisibly(const std::filesystem::path& model_dir) {
  bool announced = false;
  // Errors (missing models) are reported by whatever opens the engine next, with its context.
  (void)DescribeAutoBackend(model_dir, [&announced](const std::string& step) {
    if (!announced) {
      std::fprintf(stderr,
                   "facetag: timing each net on each backend to pick the fastest for this CPU "
                   "(once; cached)\n");
      announced = true;
    }
    std::fprintf(stderr, "  %s\n", step.c_str());
  });
}

}  // namespace facetag::cli
