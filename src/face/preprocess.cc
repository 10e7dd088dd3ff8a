#include "face/preprocess.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace facetag::face {
namespace {

// Where output index i samples the padded square of side `in`, the TF legacy way (float math).
struct Tap {
  int lo, hi;
  float frac;
};

std::vector<Tap> LegacyTaps(int in, int out) {
  const float scale = static_cast<float>(in) / static_cast<float>(out);
  std::vector<Tap> taps(out);
  for (int i = 0; i < out; ++i) {
    const float src = scale * static_cast<float>(i);
    const int lo = static_cast<int>(std::floor(src));
    taps[i] = {lo, std::min(in - 1, static_cast<int>(std::ceil(src))), src - static_cast<float>(lo)};
  }
  return taps;
}

}  // namespace

void PadResizeNormalize(const Image& image, const Region& region, PadMode pad, int size,
                        const Normalization& norm, float* dst) {
  const int side = std::max(region.width, region.height);
  // Offset of the region inside the padded square (face-api rounds half the difference up for
  // the trailing pad, so the leading pad is the rest).
  int off_x = 0, off_y = 0;
  if (pad == PadMode::kCentre) {
    const int diff = std::abs(region.width - region.height);
    const int lead = diff - static_cast<int>(std::lround(diff * 0.5));
    (region.width < region.height ? off_x : off_y) = lead;
  }
  const std::vector<Tap> taps = LegacyTaps(side, size);

  // Reads padded-square pixel (sx, sy), channel c: zero outside the region or the image.
  auto sample = [&](int sx, int sy, int c) -> float {
    const int rx = sx - off_x, ry = sy - off_y;
    if (rx < 0 || ry < 0 || rx >= region.width || ry >= region.height) return 0.0f;
    const int ix = region.x + rx, iy = region.y + ry;
    if (ix < 0 || iy < 0 || ix >= image.width || iy >= image.height) return 0.0f;
    return image.row(iy)[3 * ix + c];
  };

  const size_t plane = static_cast<size_t>(size) * size;
  for (int oy = 0; oy < size; ++oy) {
    const Tap& ty = taps[oy];
    for (int ox = 0; ox < size; ++ox) {
      const Tap& tx = taps[ox];
      for (int c = 0; c < 3; ++c) {
        const float tl = sample(tx.lo, ty.lo, c), tr = sample(tx.hi, ty.lo, c);
        const float bl = sample(tx.lo, ty.hi, c), br = sample(tx.hi, ty.hi, c);
        const float top = tl + (tr - tl) * tx.frac;
        const float bottom = bl + (br - bl) * tx.frac;
        const float v = top + (bottom - top) * ty.frac;
        dst[c * plane + static_cast<size_t>(oy) * size + ox] = (v - norm.mean[c]) * norm.scale;
      }
    }
  }
}

}  // namespace facetag::face
