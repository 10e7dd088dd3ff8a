// The arithmetic ceiling of this CPU, measured rather than looked up: enough independent FMA
// chains to hide latency, no memory traffic. Compiled per ISA and picked at run time, so one
// binary reports the right peak on AVX2-only and AVX-512 machines alike.
#include <immintrin.h>

#include <chrono>
#include <thread>
#include <vector>

#include "bench/lib/bench.h"

namespace facetag {
namespace {

constexpr long kIterations = 20'000'000;

__attribute__((target("avx512f"))) double FmaLoopAvx512() {
  __m512 acc[12];
  for (auto& a : acc) a = _mm512_set1_ps(1.0f);
  const __m512 m = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-7f);
  for (long i = 0; i < kIterations; ++i)
    for (auto& a : acc) a = _mm512_fmadd_ps(a, m, c);
  alignas(64) float out[16];
  float sink = 0;
  for (auto& a : acc) {
    _mm512_store_ps(out, a);
    sink += out[0];
  }
  return sink > 0 ? 12.0 * 16 * 2 * kIterations : 0;
}

__attribute__((target("avx2,fma"))) double FmaLoopAvx2() {
  __m256 acc[12];
  for (auto& a : acc) a = _mm256_set1_ps(1.0f);
  const __m256 m = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-7f);
  for (long i = 0; i < kIterations; ++i)
    for (auto& a : acc) a = _mm256_fmadd_ps(a, m, c);
  alignas(32) float out[8];
  float sink = 0;
  for (auto& a : acc) {
    _mm256_store_ps(out, a);
    sink += out[0];
  }
  return sink > 0 ? 12.0 * 8 * 2 * kIterations : 0;
}

double FmaLoopScalar() {
  float acc[12];
  for (auto& a : acc) a = 1.0f;
  for (long i = 0; i < kIterations / 8; ++i)
    for (auto& a : acc) a = a * 0.999999f + 1e-7f;
  float sink = 0;
  for (float a : acc) sink += a;
  return sink > 0 ? 12.0 * 2 * (kIterations / 8) : 0;
}

// GFLOP/s of `loop` run on `threads` threads at once (median of three tries).
double Measure(double (*loop)(), int threads) {
  std::vector<double> tries;
  for (int t = 0; t < 3; ++t) {
    std::vector<double> flops(threads);
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i) pool.emplace_back([&, i] { flops[i] = loop(); });
    for (auto& th : pool) th.join();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double total = 0;
    for (double f : flops) total += f;
    tries.push_back(total / s / 1e9);
  }
  return Median(tries);
}

}  // namespace

PeakFlops MeasurePeakFlops(int cores) {
  PeakFlops p;
  p.cores = cores;
  double (*loop)() = FmaLoopScalar;
  p.isa = "scalar";
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) {
    loop = FmaLoopAvx512;
    p.isa = "avx512f";
  } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    loop = FmaLoopAvx2;
    p.isa = "avx2+fma";
  }
  p.per_core_gflops = Measure(loop, 1);
  p.all_cores_gflops = Measure(loop, cores);
  return p;
}

}  // namespace facetag
