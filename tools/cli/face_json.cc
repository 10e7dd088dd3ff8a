#include "face_json.h"

#include <cmath>

namespace facetag::cli {
namespace {

// Pixel coordinates to 0.01 px and scores to 1e-4 keep lines short without losing anything useful;
// embeddings keep full float precision.
double Round(double v, double unit) { return std::round(v / unit) * unit; }

}  // namespace

nlohmann::json FaceToJson(const Face& face) {
  nlohmann::json landmarks = nlohmann::json::array();
  for (const Point& p : face.landmarks) landmarks.push_back({Round(p.x, 0.01), Round(p.y, 0.01)});
  return {
      {"box",
       {Round(face.box.x, 0.01), Round(face.box.y, 0.01), Round(face.box.width, 0.01),
        Round(face.box.height, 0.01)}},
      {"score", Round(face.score, 1e-4)},
      {"landmarks", std::move(landmarks)},
      {"embedding", face.embedding},
  };
}

nlohmann::json PhotoToJson(const PhotoFaces& photo) {
  if (!photo.status.ok()) return {{"file", photo.file}, {"error", photo.status.ToString()}};
  nlohmann::json faces = nlohmann::json::array();
  for (const Face& f : photo.faces) faces.push_back(FaceToJson(f));
  return {
      {"file", photo.file}, {"width", photo.width}, {"height", photo.height}, {"faces", std::move(faces)}};
}

}  // namespace facetag::cli
