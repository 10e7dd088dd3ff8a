// The steps of face-api's pipeline that every engine shares (the library's FaceEngine and the
// service's engine, which detects and describes differently but must give the same faces).
#pragma once

#include <vector>

#include "face/detector.h"
#include "face/landmarker.h"
#include "facetag/engine.h"
#include "facetag/status.h"
#include "nn/session.h"

namespace facetag::pipeline {

// What each net runs on for these options.
struct NetRunners {
  nn::Runner ssd, tiny, landmarks, descriptor;
};
// The backend given runs every net; kAuto runs each on the fastest runner measured on this CPU
// (pipeline/backend_choice.h). Precision: kInt8 runs the SSD detector in int8 on oneDNN (the other
// nets have no int8 path); kF32 keeps every net at f32; kAuto is what was measured fastest among
// the precisions at parity (int8 is not: it moves boxes enough to move descriptors past parity,
// docs/BENCHMARKS.md).
Result<NetRunners> ResolveNetRunners(const EngineOptions& options);

// Faces with box, score and landmarks, and the region of `image` each face's descriptor is
// computed from (index for index).
struct LocatedFaces {
  std::vector<Face> faces;
  std::vector<Box> descriptor_regions;
};

// After detection: drops boxes with no pixel inside `image` (face-api drops them silently: the
// tiny detector's boxes are not clamped), locates 68 landmarks in the rest, batched, and derives
// each descriptor region from them, capped by the crop the landmarks came from as face-api does
// (this matters for faces at the border).
Result<LocatedFaces> LocateFaces(const Image& image, std::vector<face::Detection> detections,
                                 face::Landmarker& landmarker);

// Maps faces found in a photo decoded at `decoded_scale` back to full-resolution pixels.
void ScaleToFullResolution(std::vector<Face>& faces, double decoded_scale);

}  // namespace facetag::pipeline
