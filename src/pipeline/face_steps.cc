#include "pipeline/face_steps.h"

#include "face/faceapi/alignment.h"
#include "facetag/models.h"
#include "pipeline/backend_choice.h"

namespace facetag::pipeline {

Result<NetRunners> ResolveNetRunners(const EngineOptions& options) {
  NetRunners runners;
  if (options.backend != InferenceBackend::kAuto) {
    const nn::Backend backend =
        options.backend == InferenceBackend::kOneDnn ? nn::Backend::kOneDnn : nn::Backend::kOpenCv;
    if (!nn::BackendAvailable(backend)) return Unsupported("this facetag was built without oneDNN");
    runners.ssd = runners.tiny = runners.landmarks = runners.descriptor = {backend, nn::Precision::kF32};
  } else {
    auto choices = AutoBackendChoices(options.model_dir.empty() ? DefaultModelDir() : options.model_dir);
    if (!choices.ok()) return choices.status();
    const auto pick = [&](Net net) {
      const NetChoice& choice = choices->nets.at(net);
      return options.precision == InferencePrecision::kF32 ? choice.FastestAt(nn::Precision::kF32)
                                                           : choice.runner;
    };
    runners = {pick(Net::kSsd), pick(Net::kTiny), pick(Net::kLandmarks), pick(Net::kDescriptor)};
  }
  if (options.precision == InferencePrecision::kBf16) {
    // Only where bf16 holds parity; the other nets stay as they are.
    const std::pair<Net, nn::Runner*> nets[] = {{Net::kSsd, &runners.ssd},
                                                {Net::kTiny, &runners.tiny},
                                                {Net::kLandmarks, &runners.landmarks},
                                                {Net::kDescriptor, &runners.descriptor}};
    for (const auto& [net, runner] : nets) {
      if (!HoldsParityAt(net, nn::Precision::kBf16)) continue;
      runner->precision = nn::Precision::kBf16;
      if (options.backend == InferenceBackend::kAuto) runner->backend = nn::Backend::kOneDnn;
    }
  }
  if (options.precision == InferencePrecision::kInt8) {
    runners.ssd.precision = nn::Precision::kInt8;
    if (options.backend == InferenceBackend::kAuto) runners.ssd.backend = nn::Backend::kOneDnn;
  }
  return runners;
}

Result<LocatedFaces> LocateFaces(const Image& image, std::vector<face::Detection> detections,
                                 face::Landmarker& landmarker) {
  std::erase_if(detections, [&](const face::Detection& d) {
    return !face::FaceApiCrop(d.box, image.width, image.height).has_value();
  });
  LocatedFaces located;
  if (detections.empty()) return located;

  std::vector<Box> boxes;
  boxes.reserve(detections.size());
  for (const auto& d : detections) boxes.push_back(d.box);
  auto landmarks = landmarker.Locate(image, boxes);
  if (!landmarks.ok()) return landmarks.status();

  located.faces.resize(detections.size());
  located.descriptor_regions.reserve(detections.size());
  for (size_t i = 0; i < detections.size(); ++i) {
    Face& face = located.faces[i];
    face.box = detections[i].box;
    face.score = detections[i].score;
    face.landmarks = (*landmarks)[i];
    const auto crop = face::FaceApiCrop(face.box, image.width, image.height);
    located.descriptor_regions.push_back(crop ? face::AlignmentBox(face.landmarks, *crop)
                                              : face::AlignmentBox(face.landmarks));
  }
  return located;
}

void ScaleToFullResolution(std::vector<Face>& faces, double decoded_scale) {
  if (decoded_scale == 1.0) return;
  const float up = static_cast<float>(1.0 / decoded_scale);
  for (Face& f : faces) {
    f.box = {f.box.x * up, f.box.y * up, f.box.width * up, f.box.height * up};
    for (Point& p : f.landmarks) p = {p.x * up, p.y * up};
  }
}

}  // namespace facetag::pipeline
