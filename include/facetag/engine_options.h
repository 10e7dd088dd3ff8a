// How a face engine is put together: which detector, which backend and precision the nets run
// on, where the models are. Plain options, below the engine, so that the nets' own folders can
// take them without reaching up to the engine.
#pragma once

#include <filesystem>

namespace facetag {

enum class DetectorKind {
  kSsd,   // face-api's SSD MobileNetV1: the accurate default
  kTiny,  // face-api's tiny detector: ~10x cheaper, misses small and profile faces
};

// Which inference backend runs the nets (both give the same results up to float rounding). kAuto:
// each net on the backend measured fastest for it on this CPU (DescribeAutoBackend).
enum class InferenceBackend { kAuto, kOpenCv, kOneDnn };

// The arithmetic the nets run in. kBf16 (oneDNN on a CPU with AVX512-BF16 or AMX): every net in
// bf16, 1.5-5x faster than f32 there, at parity (tests/pipeline/precision_parity_test.cc). kInt8
// (oneDNN only, opt-in): the SSD detector in int8, same faces as f32 but boxes moved by ~1-2%,
// which moves descriptors by up to ~0.15 (past the 0.05 parity); the other nets stay f32.
// kAuto: per net, the fastest precision at parity measured on this CPU (f32 or bf16).
enum class InferencePrecision { kAuto, kF32, kBf16, kInt8 };

struct EngineOptions {
  std::filesystem::path model_dir;  // empty: DefaultModelDir()
  DetectorKind detector = DetectorKind::kSsd;
  // Copies of the per-face nets (landmarks, descriptor) that split a photo's faces between
  // threads. An engine pool of one engine sets it to the core count.
  int face_net_shards = 1;
  // Threads one net run of this engine may use (0: all cores). An engine pool of several engines
  // gives each one thread, so that the engines, not the nets, keep the cores busy.
  // oneDNN honours it per engine; OpenCV DNN has a single pool per process (pipeline/engine_pool.h).
  int inference_threads = 0;
  InferenceBackend backend = InferenceBackend::kAuto;
  InferencePrecision precision = InferencePrecision::kAuto;
  // For recognition requests (often one face crop) rather than photos: the tiny detector's
  // input sized to each image, and a small image without a face searched again inside a border
  // (the detectors miss faces that fill the frame). Off: face-api's behaviour, as indexing uses.
  bool fit_detector_to_image = false;
  // A small image (long side up to 400 px) in which the detector finds no face is searched
  // again inside a border: a tight headshot fills the frame, and both detectors miss such faces
  // (face/border_retry.h). Photos larger than that keep face-api's exact results. Photo
  // libraries are indexed with it (ForPhotoLibrary in facetag/engine.h).
  bool retry_small_images_in_border = false;
};

}  // namespace facetag
