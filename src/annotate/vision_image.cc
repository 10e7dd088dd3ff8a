#include "annotate/vision_image.h"

#include <openssl/evp.h>
#include <turbojpeg.h>

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace facetag::annotate_internal {
namespace {

Image Downscaled(const Image& image, int max_side) {
  const int long_side = std::max(image.width, image.height);
  if (long_side <= max_side) return image;
  const double s = static_cast<double>(max_side) / long_side;
  Image out;
  out.width = std::max(1, static_cast<int>(std::lround(image.width * s)));
  out.height = std::max(1, static_cast<int>(std::lround(image.height * s)));
  out.rgb.resize(static_cast<size_t>(out.width) * out.height * 3);
  const cv::Mat src(image.height, image.width, CV_8UC3, const_cast<uint8_t*>(image.rgb.data()));
  cv::Mat dst(out.height, out.width, CV_8UC3, out.rgb.data());
  cv::resize(src, dst, dst.size(), 0, 0, cv::INTER_AREA);
  return out;
}

}  // namespace

Result<std::string> JpegDataUrl(const Image& image_in, int max_side, int quality) {
  if (image_in.empty()) return InvalidArgument("no pixels to send");
  const Image image = Downscaled(image_in, std::max(16, max_side));
  tjhandle tj = tjInitCompress();
  if (!tj) return Internal("cannot start the JPEG encoder");
  unsigned char* jpeg = nullptr;
  unsigned long size = 0;
  const int rc = tjCompress2(tj, image.rgb.data(), image.width, image.width * 3, image.height, TJPF_RGB,
                             &jpeg, &size, TJSAMP_420, quality, TJFLAG_FASTDCT);
  std::string out;
  if (rc == 0) {
    std::string b64(4 * ((size + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), jpeg, static_cast<int>(size));
    b64.resize(static_cast<size_t>(n));
    out = "data:image/jpeg;base64," + b64;
  }
  tjFree(jpeg);
  tjDestroy(tj);
  if (rc != 0) return Internal("cannot encode JPEG");
  return out;
}

}  // namespace facetag::annotate_internal
