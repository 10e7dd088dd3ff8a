#include "pipeline/face_steps.h"

#include "face/faceapi/alignment.h"

namespace facetag::pipeline {

nn::Backend ResolveBackend(InferenceBackend backend) {
  switch (backend) {
    case InferenceBackend::kOpenCv:
      return nn::Backend::kOpenCv;
    case InferenceBackend::kOneDnn:
      return nn::Backend::kOneDnn;
    case InferenceBackend::kAuto:
      break;
  }
  return nn::BackendAvailable(nn::Backend::kOneDnn) ? nn::Backend::kOneDnn : nn::Backend::kOpenCv;
}

nn::Precision ResolvePrecision(nn::Backend, InferencePrecision precision) {
  return precision == InferencePrecision::kInt8 ? nn::Precision::kInt8 : nn::Precision::kF32;
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
