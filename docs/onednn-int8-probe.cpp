// Probe behind docs/BENCHMARKS.md "int8 precision (issue 6)": MobileNetV1 (SSD 512) layer shapes
// and the recognition net's 3x3 shapes, f32 against int8 (u8 source, s8 weights, u8 destination,
// per-channel output scales, bias + ReLU) in oneDNN, one thread, median of 9 x 3 runs per layer.
//   g++ -O2 docs/onednn-int8-probe.cpp -ldnnl && OMP_NUM_THREADS=1 ./a.out
#include <oneapi/dnnl/dnnl.hpp>
#include <chrono>
#include <cstdio>
#include <vector>
#include <algorithm>
using namespace dnnl;
using tag = memory::format_tag; using dt = memory::data_type;
struct L { int c, k, h, stride, dw, ks; };
double run(engine& eng, stream& s, bool i8, const L& l, int N, const char** impl) {
  int oh = (l.h + 2*(l.ks/2) - l.ks) / l.stride + 1;
  memory::dims src{N, l.c, l.h, l.h}, dst{N, l.k, oh, oh}, str{l.stride, l.stride}, pad{l.ks/2, l.ks/2};
  memory::dims wei = l.dw ? memory::dims{l.c, 1, 1, l.ks, l.ks} : memory::dims{l.k, l.c, l.ks, l.ks};
  dt sdt = i8 ? dt::u8 : dt::f32, wdt = i8 ? dt::s8 : dt::f32, ddt = i8 ? dt::u8 : dt::f32;
  if (i8 && l.c == 3) sdt = dt::s8;
  auto sm = memory::desc(src, sdt, tag::any), wm = memory::desc(wei, wdt, tag::any), dm = memory::desc(dst, ddt, tag::any);
  auto bm = memory::desc({l.k}, dt::f32, tag::x);
  auto d = convolution_forward::desc(prop_kind::forward_inference, algorithm::convolution_direct, sm, wm, bm, dm, str, pad, pad);
  primitive_attr attr;
  post_ops po; po.append_eltwise(1.f, algorithm::eltwise_relu, 0.f, 0.f); attr.set_post_ops(po);
  if (i8) attr.set_output_scales(2, std::vector<float>(l.k, 0.01f));
  auto pd = convolution_forward::primitive_desc(d, attr, eng);
  memory a(pd.src_desc(), eng), b(pd.weights_desc(), eng), c(pd.dst_desc(), eng), bias(bm, eng);
  convolution_forward conv(pd);
  auto go = [&] { conv.execute(s, {{DNNL_ARG_SRC, a}, {DNNL_ARG_WEIGHTS, b}, {DNNL_ARG_BIAS, bias}, {DNNL_ARG_DST, c}}); s.wait(); };
  for (int i = 0; i < 3; i++) go();
  std::vector<double> t;
  for (int r = 0; r < 9; r++) { auto t0 = std::chrono::steady_clock::now(); for (int i = 0; i < 3; i++) go();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / 3); }
  std::sort(t.begin(), t.end());
  *impl = pd.impl_info_str();
  return t[4] * 1e3;
}
int main() {
  engine eng(engine::kind::cpu, 0); stream s(eng);
  std::vector<L> ls = {{3,32,512,2,0,3},{32,32,256,1,1,3},{32,64,256,1,0,1},{64,64,256,2,1,3},{64,128,128,1,0,1},
    {128,128,128,1,1,3},{128,128,128,1,0,1},{128,128,128,2,1,3},{128,256,64,1,0,1},{256,256,64,1,1,3},{256,256,64,1,0,1},
    {256,256,64,2,1,3},{256,512,32,1,0,1},{512,512,32,1,1,3},{512,512,32,1,0,1},{512,512,32,2,1,3},{512,1024,16,1,0,1},
    {1024,1024,16,1,1,3},{1024,1024,16,1,0,1}};
  int reps[] = {1,1,1,1,1,1,1,1,1,1,1,1,1,5,5,1,1,1,1};
  double tf = 0, ti = 0;
  for (size_t i = 0; i < ls.size(); i++) {
    const char *i1, *i2;
    double f = run(eng, s, false, ls[i], 1, &i1), q = run(eng, s, true, ls[i], 1, &i2);
    tf += f * reps[i]; ti += q * reps[i];
    std::printf("%s c%4d k%4d h%3d s%d: f32 %7.3f ms (%s)  int8 %7.3f ms (%s)  x%.2f\n", ls[i].dw ? "dw" : (ls[i].ks==1?"pw":"cv"),
      ls[i].c, ls[i].k, ls[i].h, ls[i].stride, f, i1, q, i2, f / q);
  }
  std::printf("backbone total: f32 %.2f ms  int8 %.2f ms  x%.2f\n", tf, ti, tf / ti);
  // The recognition net's 3x3 convolutions at batch 8.
  const L rec[] = {{32, 32, 38, 1, 0, 3}, {64, 64, 19, 1, 0, 3}, {128, 128, 10, 1, 0, 3}, {256, 256, 5, 1, 0, 3}};
  for (const L& l : rec) {
    const char *i1, *i2;
    double f = run(eng, s, false, l, 8, &i1), q = run(eng, s, true, l, 8, &i2);
    std::printf("x8 cv c%4d k%4d h%3d: f32 %7.3f ms (%s)  int8 %7.3f ms (%s)  x%.2f\n", l.c, l.k, l.h, f, i1, q, i2, f / q);
  }
}
