#include "face/faceapi/face_batch.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "face/faceapi/alignment.h"

namespace facetag::face {

Status RunFaceBatches(nn::InferenceSession& session, const FaceNetSpec& spec, const Image& image,
                      std::span<const Box> boxes,
                      const std::function<void(size_t, const Region&, const float*)>& take) {
  constexpr size_t kMaxBatch = 16;
  if (image.empty() || image.rgb.size() != static_cast<size_t>(image.width) * image.height * 3) {
    return InvalidArgument(std::string(spec.model) +
                           ": image is empty or its pixel buffer does not match its size");
  }
  std::vector<Region> crops;
  crops.reserve(boxes.size());
  for (size_t i = 0; i < boxes.size(); ++i) {
    std::optional<Region> crop = FaceApiCrop(boxes[i], image.width, image.height);
    if (!crop)
      return InvalidArgument(std::string(spec.model) + ": box " + std::to_string(i) +
                             " is outside the image");
    crops.push_back(*crop);
  }

  const size_t size = static_cast<size_t>(spec.input_size);
  const size_t plane = 3 * size * size;
  for (size_t begin = 0; begin < crops.size(); begin += kMaxBatch) {
    const size_t n = std::min(kMaxBatch, crops.size() - begin);
    nn::Tensor input({static_cast<int>(n), 3, spec.input_size, spec.input_size});
    for (size_t i = 0; i < n; ++i) {
      PadResizeNormalize(image, crops[begin + i], PadMode::kCentre, spec.input_size, spec.norm,
                         input.data.data() + i * plane);
    }
    auto result = session.Run(input);
    if (!result.ok()) return result.status();
    const std::vector<nn::Tensor>& outputs = *result;
    if (outputs.size() != 1 || outputs[0].shape != std::vector<int>{static_cast<int>(n), spec.output_size}) {
      return Internal(std::string(spec.model) + ": unexpected output shape");
    }
    for (size_t i = 0; i < n; ++i) {
      take(begin + i, crops[begin + i], outputs[0].data.data() + i * spec.output_size);
    }
  }
  return Status::Ok();
}

}  // namespace facetag::face
