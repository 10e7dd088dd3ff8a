#include "face/preprocess.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
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

  // Byte offset in an image row of padded-square column sx, or -1 where it reads as zero
  // (outside the region or the image).
  auto column = [&](int sx) {
    const int rx = sx - off_x, ix = region.x + rx;
    return (rx < 0 || rx >= region.width || ix < 0 || ix >= image.width) ? -1 : 3 * ix;
  };
  std::vector<int> col_lo(size), col_hi(size);
  std::vector<float> col_frac(size);
  // Output columns [inner_begin, inner_end) read two real pixels: a branch-free loop does them.
  int inner_begin = size, inner_end = 0;
  for (int ox = 0; ox < size; ++ox) {
    col_lo[ox] = column(taps[ox].lo);
    col_hi[ox] = column(taps[ox].hi);
    col_frac[ox] = taps[ox].frac;
    if (col_lo[ox] >= 0 && col_hi[ox] >= 0) {
      inner_begin = std::min(inner_begin, ox);
      inner_end = ox + 1;
    }
  }
  // Taps are monotonic and the readable columns contiguous, so no column in between is padding.
  if (inner_end < inner_begin) inner_end = inner_begin;

  // The resize is separable and TF interpolates along x first, so each source row is
  // interpolated once into planar R, G, B and reused by every output row that reads it. The
  // arithmetic is the same expression per value as sampling four pixels, hence bit-identical.
  std::vector<float> rows[2] = {std::vector<float>(3 * static_cast<size_t>(size)),
                                std::vector<float>(3 * static_cast<size_t>(size))};
  int row_id[2] = {-1, -1};
  auto fill_row = [&](int sy, float* out) {
    const int ry = sy - off_y, iy = region.y + ry;
    if (ry < 0 || ry >= region.height || iy < 0 || iy >= image.height) {
      std::fill_n(out, 3 * size, 0.0f);  // what l + (r - l) * frac gives for l = r = 0
      return;
    }
    const uint8_t* src = image.row(iy);
    float* r_out = out;
    float* g_out = out + size;
    float* b_out = out + 2 * size;
    auto edge = [&](int ox) {
      const int lo = col_lo[ox], hi = col_hi[ox];
      const float frac = col_frac[ox];
      for (int c = 0; c < 3; ++c) {
        const float l = lo < 0 ? 0.0f : src[lo + c], r = hi < 0 ? 0.0f : src[hi + c];
        out[c * size + ox] = l + (r - l) * frac;
      }
    };
    for (int ox = 0; ox < inner_begin; ++ox) edge(ox);
    for (int ox = inner_begin; ox < inner_end; ++ox) {
      const uint8_t* pl = src + col_lo[ox];
      const uint8_t* ph = src + col_hi[ox];
      const float frac = col_frac[ox];
      const float l0 = pl[0], l1 = pl[1], l2 = pl[2];
      const float h0 = ph[0], h1 = ph[1], h2 = ph[2];
      r_out[ox] = l0 + (h0 - l0) * frac;
      g_out[ox] = l1 + (h1 - l1) * frac;
      b_out[ox] = l2 + (h2 - l2) * frac;
    }
    for (int ox = inner_end; ox < size; ++ox) edge(ox);
  };
  // The interpolated source row sy, computed unless cached; never evicts row `keep`.
  auto row = [&](int sy, int keep) -> const float* {
    for (int k = 0; k < 2; ++k)
      if (row_id[k] == sy) return rows[k].data();
    const int slot = row_id[0] == keep ? 1 : 0;
    fill_row(sy, rows[slot].data());
    row_id[slot] = sy;
    return rows[slot].data();
  };

  const size_t plane = static_cast<size_t>(size) * size;
  for (int oy = 0; oy < size; ++oy) {
    const Tap& ty = taps[oy];
    const float* top = row(ty.lo, ty.hi);
    const float* bottom = row(ty.hi, ty.lo);
    for (int c = 0; c < 3; ++c) {
      const float* t = top + c * size;
      const float* b = bottom + c * size;
      const float mean = norm.mean[c], scale = norm.scale;
      float* out = dst + c * plane + static_cast<size_t>(oy) * size;
      for (int ox = 0; ox < size; ++ox) out[ox] = (t[ox] + (b[ox] - t[ox]) * ty.frac - mean) * scale;
    }
  }
}

}  // namespace facetag::face
