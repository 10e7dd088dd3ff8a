#include "support/reference.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "facetag/models.h"
#include "support/test_env.h"

namespace facetag::testing {

std::vector<ReferencePhoto> LoadReference(const std::string& name) {
  std::ifstream in(SourceDir() / "tests" / "data" / "reference" / name);
  EXPECT_TRUE(in.good()) << "missing reference file " << name;
  std::vector<ReferencePhoto> photos;
  std::string line;
  while (std::getline(in, line)) {
    const auto j = nlohmann::json::parse(line);
    ReferencePhoto photo{j.at("file").get<std::string>(), {}};
    for (const auto& f : j.at("faces")) {
      Face face;
      if (f.contains("box")) {
        const auto b = f.at("box").get<std::vector<float>>();
        face.box = {b[0], b[1], b[2], b[3]};
        face.score = f.at("score").get<float>();
      }
      if (f.contains("landmarks")) {
        const auto& pts = f.at("landmarks");
        for (size_t i = 0; i < 68 && i < pts.size(); ++i) face.landmarks[i] = {pts[i][0], pts[i][1]};
      }
      if (f.contains("descriptor")) face.embedding = f.at("descriptor").get<std::vector<float>>();
      photo.faces.push_back(std::move(face));
    }
    photos.push_back(std::move(photo));
  }
  return photos;
}

std::filesystem::path ResolveReferenceFile(const std::string& file) {
  const std::string kFaceApi = "face-api/";
  if (file.rfind(kFaceApi, 0) == 0) return DefaultFaceApiPackageDir() / file.substr(kFaceApi.size());
  return TestDataDir() / file;
}

std::vector<FacePairing> PairByOverlap(const std::vector<Face>& want, const std::vector<Face>& got) {
  std::vector<FacePairing> pairs;
  std::vector<bool> used(got.size(), false);
  for (const Face& w : want) {
    FacePairing best{0, -1.f};
    for (size_t i = 0; i < got.size(); ++i) {
      const float iou = IntersectionOverUnion(w.box, got[i].box);
      if (!used[i] && iou > best.iou) best = {i, iou};
    }
    if (best.iou >= 0) used[best.got] = true;
    pairs.push_back(best);
  }
  return pairs;
}

Image LoadReferenceImage(const std::string& file) {
  DecodeOptions options;
  options.apply_orientation = false;
  auto decoded = DecodeImageFile(ResolveReferenceFile(file), options);
  if (!decoded.ok()) {
    ADD_FAILURE() << "cannot decode " << file << ": " << decoded.status().ToString()
                  << " (face-api demo photos: run scripts/setup.sh or set FACETAG_FACEAPI_PACKAGE_DIR)";
    return {};
  }
  return std::move(decoded->image);
}

}  // namespace facetag::testing
