#include "nn/onednn_plan.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <numeric>
#include <optional>
#include <set>
#include <shared_mutex>
#include <unordered_map>

namespace facetag::nn {

using dnnl::memory;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

dnnl::memory OneDnnWeightCache::Get(const std::string& key, const dnnl::memory& plain,
                                    const dnnl::memory::desc& wanted, dnnl::stream& stream) {
  if (plain.get_desc() == wanted) return plain;
  std::lock_guard lock(mutex_);
  auto& versions = cache_[key];
  for (const auto& m : versions) {
    if (m.get_desc() == wanted) return m;
  }
  memory m(wanted, plain.get_engine());
  dnnl::reorder(plain, m).execute(stream, const_cast<memory&>(plain), m);
  stream.wait();
  versions.push_back(m);
  return m;
}

namespace {

memory::dims RowMajorStrides(const memory::dims& dims) {
  memory::dims s(dims.size(), 1);
  for (int i = static_cast<int>(dims.size()) - 2; i >= 0; --i) s[i] = s[i + 1] * dims[i + 1];
  return s;
}

memory::desc PlainDesc(const memory::dims& dims) {
  return memory::desc(dims, dt::f32, RowMajorStrides(dims));
}

bool IsPlain(const memory::desc& d) { return d == PlainDesc(d.dims()); }

// oneDNN names its reference implementations "ref:...", "ref_...".
bool IsReference(const char* implementation) { return std::strncmp(implementation, "ref", 3) == 0; }

// Every primitive of a plan takes its scratch memory from the plan (one buffer per plan). By
// default oneDNN sizes some primitives' scratch memory for the thread that created them and hands
// out the running thread's at execution: a plan built on one thread and run on another (a later
// index chunk, a shard, the service's request threads) would then write past a smaller buffer.
dnnl::primitive_attr PlanAttr() {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

// oneDNN 2.6 (Debian 12's) is not safe to create convolutions of different data types on two
// threads at once: its brgemm convolutions keep a process-wide block size from the weights' data
// type (brg_blocking_t::last_ic_block_size, thread-local since oneDNN 2.7), so an f32 convolution
// created while a bf16 one is being created can read 2 for 1 and compute garbage (seen: the
// landmarks of one face in a few hundred starts of `facetag index`, whose engines build their f32
// landmark and bf16 descriptor plans side by side). Plans of f32 convolutions only are built side
// by side (shared); a plan with bf16 or int8 convolutions (which keeps some at f32) alone.
std::shared_mutex& PlanBuilding() {
  static std::shared_mutex building;
  return building;
}

// Layouts the convolutions' activations may be kept in, tried in this order until every primitive
// of a plan has a JIT kernel. std::nullopt: each kernel picks its own destination layout (the
// fastest on AVX2). A fixed layout is kept from the first convolution on, so that neighbouring
// primitives agree and reorders stay at the net's edges.
constexpr std::optional<tag> kActivationLayouts[] = {std::nullopt, tag::nhwc, tag::nChw16c, tag::nChw8c};

std::string LayoutName(std::optional<tag> layout) {
  if (!layout) return "kernel's choice";
  switch (*layout) {
    case tag::nhwc:
      return "nhwc";
    case tag::nChw16c:
      return "nChw16c";
    case tag::nChw8c:
      return "nChw8c";
    default:
      return "other";
  }
}

}  // namespace

// Walks the ONNX nodes once, creating primitives and assigning buffers. Values are tracked by
// name with their remaining number of readers, so a buffer returns to the pool after its last
// reader and later layers reuse it.
class OneDnnPlanBuilder {
 public:
  // `activation_layout`: the layout every convolution writes (std::nullopt: the kernel's choice).
  OneDnnPlanBuilder(const OnnxModel& model, const dnnl::engine& engine, dnnl::stream& stream,
                    OneDnnWeightCache& weights, const OneDnnQuantization& quantization,
                    std::optional<tag> activation_layout, OneDnnPlan& plan)
      : model_(model),
        engine_(engine),
        stream_(stream),
        weights_(weights),
        quantization_(quantization),
        activation_layout_(activation_layout),
        plan_(plan) {}

  // The first primitive that only has a reference kernel ("" when none): the plan runs, but slowly.
  const std::string& first_reference() const { return first_reference_; }

  Status Build(const std::vector<std::string>& outputs, const std::vector<int>& input_shape) {
    const auto& in = model_.inputs.at(0);
    if (in.dims.size() != input_shape.size())
      return InvalidArgument("input has the wrong number of dimensions");
    // Spatial sizes (dims 2 on) may differ from the declared ones, as OpenCV DNN allows: the
    // detectors are fully convolutional and run at the size a caller picks (the service sizes
    // the tiny detector to the image). Every later shape follows from the input's; a net that
    // cannot run at another size fails while its plan is built, reported as a wrong input.
    bool resized = false;
    for (size_t i = 0; i < in.dims.size(); ++i) {
      if (in.dims[i] < 0 || in.dims[i] == input_shape[i]) continue;
      if (i >= 2) {
        resized = true;
        continue;
      }
      return InvalidArgument("input dimension " + std::to_string(i) + " must be " +
                             std::to_string(in.dims[i]) + ", is " + std::to_string(input_shape[i]));
    }
    Status built = BuildNodes(outputs, input_shape);
    if (!built.ok() && resized) {
      return InvalidArgument("the net does not run at this input size (" + built.message() + ")");
    }
    return built;
  }

 private:
  Status BuildNodes(const std::vector<std::string>& outputs, const std::vector<int>& input_shape) {
    const auto& in = model_.inputs.at(0);
    for (size_t i = 0; i < model_.nodes.size(); ++i) {
      for (const auto& name : model_.nodes[i].inputs) {
        if (model_.initializers.count(name)) continue;
        readers_[name].push_back(static_cast<int>(i));
      }
    }
    for (const auto& o : outputs) keep_.insert(o);

    memory::dims dims(input_shape.begin(), input_shape.end());
    Value input;
    input.desc = PlainDesc(dims);
    input.mem = memory(input.desc, engine_, nullptr);
    input.uses = static_cast<int>(readers_[in.name].size());
    input.max_abs = quantization_.input_max_abs;
    values_[in.name] = input;
    plan_.input_ = input.mem;

    skipped_.assign(model_.nodes.size(), false);
    for (size_t i = 0; i < model_.nodes.size(); ++i) {
      if (skipped_[i]) continue;
      const OnnxNode& n = model_.nodes[i];
      for (const auto& name : n.inputs) {
        if (!model_.initializers.count(name) && !values_.count(name)) {
          return Corrupt(n.op_type + " node " + n.name + " reads " + name + " before it is computed");
        }
      }
      current_node_ = static_cast<int>(i);
      Status s = Node(static_cast<int>(i));
      if (!s.ok()) return Status(s.code(), n.op_type + " " + n.name + ": " + s.message());
    }
    current_node_ = -1;
    for (const auto& o : outputs) {
      auto it = values_.find(o);
      if (it == values_.end()) return InvalidArgument("the model has no output named " + o);
      Value v = ToPlain(o);
      plan_.outputs_.push_back(v.mem);
    }
    for (auto& b : pool_) plan_.buffers_.push_back(b.data);
    // One scratchpad of its own serves every step (they run one after another); not from the
    // pool, whose buffers hold activations while the steps run.
    if (scratchpad_bytes_ > 0) {
      const memory scratchpad(memory::desc({static_cast<memory::dim>(scratchpad_bytes_)}, dt::u8, tag::x),
                              engine_);
      for (size_t step : scratchpad_steps_) plan_.steps_[step].args[DNNL_ARG_SCRATCHPAD] = scratchpad;
    }
    return Status::Ok();
  }

  struct Value {
    memory::desc desc;
    memory mem;
    int buffer = -1;  // -1: not in the pool (the caller's input)
    int uses = 0;
    // What int8 convolutions need to know: a bound on |value| (0: unknown), whether it is >= 0,
    // and for u8/s8 storage the real value of one unit.
    float max_abs = 0;
    bool non_negative = false;
    float scale = 1.f;
  };
  struct Buffer {
    size_t size = 0;
    std::shared_ptr<void> data;
    int holders = 0;
  };

  // ---- buffers and values ----
  int Acquire(size_t bytes) {
    int best = -1;
    for (size_t i = 0; i < pool_.size(); ++i) {
      if (pool_[i].holders == 0 && pool_[i].size >= bytes && (best < 0 || pool_[i].size < pool_[best].size)) {
        best = static_cast<int>(i);
      }
    }
    if (best < 0) {
      const size_t rounded = (std::max<size_t>(bytes, 64) + 63) / 64 * 64;
      void* p = std::aligned_alloc(64, rounded);
      if (p == nullptr) throw std::bad_alloc();
      pool_.push_back({rounded, std::shared_ptr<void>(p, std::free), 0});
      best = static_cast<int>(pool_.size()) - 1;
    }
    pool_[best].holders = 1;
    return best;
  }

  // A new value named `name` in a fresh buffer.
  Value& Define(const std::string& name, const memory::desc& desc) {
    Value v;
    v.desc = desc;
    v.buffer = Acquire(desc.get_size());
    v.mem = memory(desc, engine_, pool_[v.buffer].data.get());
    v.uses = static_cast<int>(readers_[name].size());
    return values_[name] = v;
  }

  // A new value that shares `buffer` (a view with another shape, or an in-place result).
  Value& DefineOn(const std::string& name, const memory::desc& desc, int buffer, void* data) {
    Value v;
    v.desc = desc;
    v.buffer = buffer;
    if (buffer >= 0) ++pool_[buffer].holders;
    v.mem = memory(desc, engine_, data);
    v.uses = static_cast<int>(readers_[name].size());
    return values_[name] = v;
  }

  // Drops the value's hold on its buffer; with no holders left, Acquire may hand it out again.
  void Release(Value& v) {
    if (v.buffer >= 0) --pool_[v.buffer].holders;
    v.buffer = -1;
  }

  // One reader of `name` is done with it.
  void Consume(const std::string& name) {
    auto it = values_.find(name);
    if (it == values_.end()) return;
    if (--it->second.uses <= 0 && !keep_.count(name)) Release(it->second);
  }
  void ConsumeInputs(const OnnxNode& n) {
    for (const auto& name : n.inputs) Consume(name);
  }

  // The only reader of `name`, when there is exactly one and the value is not a requested output.
  int SoleReader(const std::string& name) const {
    if (keep_.count(name)) return -1;
    auto it = readers_.find(name);
    if (it == readers_.end() || it->second.size() != 1) return -1;
    return it->second[0];
  }

  // Adds the primitive to the plan, noting the kernel oneDNN chose for it.
  void AddStep(dnnl::primitive p, std::unordered_map<int, memory> args, memory zero_fill = {}) {
    const char* implementation = "unknown";
    const_dnnl_primitive_desc_t pd = nullptr;
    if (dnnl_primitive_get_primitive_desc(p.get(), &pd) == dnnl_success) {
      dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, static_cast<void*>(&implementation));
    }
    const std::string layer = current_node_ < 0 ? std::string("output reorder")
                                                : model_.nodes[current_node_].name + " (" +
                                                      model_.nodes[current_node_].op_type + ")";
    if (IsReference(implementation) && first_reference_.empty()) {
      first_reference_ = layer + ": " + implementation;
    }
    plan_.kernels_.push_back({layer, implementation});
    const size_t scratch = pd != nullptr ? ScratchpadBytes(pd) : 0;
    if (scratch > 0) {
      scratchpad_bytes_ = std::max(scratchpad_bytes_, scratch);
      scratchpad_steps_.push_back(plan_.steps_.size());
    }
    plan_.steps_.push_back({std::move(p), std::move(args), std::move(zero_fill)});
  }

  // What the primitive needs of the plan's scratchpad (PlanAttr), in bytes.
  static size_t ScratchpadBytes(const_dnnl_primitive_desc_t pd) {
    const dnnl_memory_desc_t* md = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
    return md != nullptr ? dnnl_memory_desc_get_size(md) : 0;
  }

  // `name` in plain row-major layout: itself, or a reordered copy (a temporary with one reader,
  // which the caller consumes by name + "#plain").
  Value ToPlain(const std::string& name) {
    Value& v = values_.at(name);
    if (IsPlain(v.desc)) return v;
    const std::string plain_name = name + "#plain";
    readers_[plain_name] = {-1};
    Value& p = Define(plain_name, PlainDesc(v.desc.dims()));
    AddStep(dnnl::reorder(v.mem, p.mem, PlanAttr()), {{DNNL_ARG_FROM, v.mem}, {DNNL_ARG_TO, p.mem}});
    if (keep_.count(name)) keep_.insert(plain_name);
    return p;
  }

  const OnnxTensor* Init(const OnnxNode& n, size_t i) const {
    if (i >= n.inputs.size()) return nullptr;
    auto it = model_.initializers.find(n.inputs[i]);
    return it == model_.initializers.end() ? nullptr : &it->second;
  }

  memory PlainWeights(const OnnxTensor& t, const memory::desc& desc) {
    return memory(desc, engine_, const_cast<float*>(t.floats.data()));
  }

  // ---- nodes ----
  Status Node(int i) {
    const OnnxNode& n = model_.nodes[i];
    const std::string& op = n.op_type;
    if (op == "Conv") return Conv(i);
    if (op == "Relu" || op == "Clip" || op == "LeakyRelu") return Eltwise(i);
    if (op == "MaxPool" || op == "AveragePool" || op == "GlobalAveragePool") return Pool(i);
    if (op == "Add" || op == "Sum") return Sum(i);
    if (op == "Pad") return Pad(i);
    if (op == "Flatten" || op == "Reshape") return Reshape(i);
    if (op == "Transpose") return Transpose(i);
    if (op == "Concat") return Concat(i);
    if (op == "Gemm") return Gemm(i);
    return Unsupported("operator " + op + " is not supported by the oneDNN backend");
  }

  // Eltwise parameters of an activation node; false when `n` is not one.
  static bool ActivationOf(const OnnxNode& n, const OnnxModel& model, dnnl::algorithm& alg, float& alpha,
                           float& beta) {
    beta = 0;
    if (n.op_type == "Relu") {
      alg = dnnl::algorithm::eltwise_relu;
      alpha = 0;
      return true;
    }
    if (n.op_type == "LeakyRelu") {
      alg = dnnl::algorithm::eltwise_relu;
      alpha = n.Float("alpha", 0.01f);
      return true;
    }
    if (n.op_type == "Clip") {
      alg = dnnl::algorithm::eltwise_clip;
      alpha = n.Float("min", -3.402823466e38f);
      beta = n.Float("max", 3.402823466e38f);
      // Opset 11+: min and max as inputs.
      for (size_t k = 1; k < n.inputs.size() && k < 3; ++k) {
        auto it = model.initializers.find(n.inputs[k]);
        if (it == model.initializers.end() || it->second.floats.size() != 1) return false;
        (k == 1 ? alpha : beta) = it->second.floats[0];
      }
      return true;
    }
    return false;
  }

  // An activation fused into a convolution, in real (unscaled) units.
  struct Activation {
    dnnl::algorithm alg;
    float alpha, beta;
  };

  // The activation's post-op for a destination stored as real / dst_scale.
  static void AppendActivation(dnnl::post_ops& po, const Activation& a, float dst_scale) {
    if (a.alg == dnnl::algorithm::eltwise_clip) {
      po.append_eltwise(1.f, a.alg, a.alpha / dst_scale, a.beta / dst_scale);
    } else {
      po.append_eltwise(1.f, a.alg, a.alpha, a.beta);  // relu and leaky relu commute with scaling
    }
  }

  // Whether the convolution `n` may run in int8 (given a known input range).
  bool Int8Kind(const OnnxNode& n) const {
    const OnnxTensor* w = Init(n, 1);
    return w != nullptr && w->dims.size() == 4 &&
           w->dims[1] * n.Int("group", 1) >= quantization_.min_input_channels;
  }

  // Whether every reader of `name` is a convolution (which can read it as int8).
  bool OnlyConvolutionsRead(const std::string& name) const {
    if (keep_.count(name)) return false;
    auto it = readers_.find(name);
    if (it == readers_.end() || it->second.empty()) return false;
    for (int r : it->second) {
      if (r < 0 || model_.nodes[r].op_type != "Conv" || model_.nodes[r].inputs[0] != name) return false;
      if (!Int8Kind(model_.nodes[r])) return false;
    }
    return true;
  }

  Status Conv(int i) {
    const OnnxNode& n = model_.nodes[i];
    const OnnxTensor* w = Init(n, 1);
    const OnnxTensor* b = Init(n, 2);
    if (w == nullptr || w->dims.size() != 4 || w->is_int64)
      return Unsupported("filters must be a 4-D constant");
    const Value& x = values_.at(n.inputs[0]);
    const memory::dims xd = x.desc.dims();
    if (xd.size() != 4) return Unsupported("only 2-D convolutions");
    const int64_t group = n.Int("group", 1);
    const int64_t out_c = w->dims[0], kh = w->dims[2], kw = w->dims[3];
    if (w->dims[1] * group != xd[1] || out_c % group != 0)
      return Corrupt("filters do not match the input channels");
    auto strides = n.Ints("strides");
    if (strides.empty()) strides = {1, 1};
    auto pads = n.Ints("pads");
    if (pads.empty()) pads = {0, 0, 0, 0};
    for (int64_t d : n.Ints("dilations")) {
      if (d != 1) return Unsupported("dilated convolutions");
    }
    if (strides.size() != 2 || pads.size() != 4) return Corrupt("bad strides or pads");
    const int64_t oh = (xd[2] + pads[0] + pads[2] - kh) / strides[0] + 1;
    const int64_t ow = (xd[3] + pads[1] + pads[3] - kw) / strides[1] + 1;
    if (oh <= 0 || ow <= 0) return InvalidArgument("input too small for this convolution");
    const memory::dims yd = {xd[0], out_c, oh, ow};
    plan_.conv_macs_ += static_cast<double>(xd[0]) * out_c * oh * ow * w->dims[1] * kh * kw;
    if (b != nullptr && b->floats.size() != static_cast<size_t>(out_c))
      return Corrupt("bias size does not match");

    // Fusions: [Relu/Clip/LeakyRelu] or [Add/Sum of one earlier value] [Relu].
    std::string result = n.outputs[0];
    std::string sum_other;
    std::optional<Activation> act;
    int next = SoleReader(result);
    Activation a;
    if (next >= 0 && ActivationOf(model_.nodes[next], model_, a.alg, a.alpha, a.beta)) {
      act = a;
      skipped_[next] = true;
      result = model_.nodes[next].outputs[0];
    } else if (next >= 0 && (model_.nodes[next].op_type == "Add" || model_.nodes[next].op_type == "Sum") &&
               model_.nodes[next].inputs.size() == 2) {
      const OnnxNode& add = model_.nodes[next];
      sum_other = add.inputs[0] == result ? add.inputs[1] : add.inputs[0];
      if (sum_other != result && values_.count(sum_other) && values_.at(sum_other).desc.dims() == yd &&
          values_.at(sum_other).desc.data_type() == (quantization_.bf16 ? dt::bf16 : dt::f32)) {
        skipped_[next] = true;
        result = add.outputs[0];
        const int after = SoleReader(result);
        if (after >= 0 && ActivationOf(model_.nodes[after], model_, a.alg, a.alpha, a.beta)) {
          act = a;
          skipped_[after] = true;
          result = model_.nodes[after].outputs[0];
        }
      } else {
        sum_other.clear();
      }
    }
    // A Clip(min >= 0, max) bounds the result: int8 readers can then use that range.
    float out_max = 0;
    if (act && act->alg == dnnl::algorithm::eltwise_clip && act->alpha >= 0 && act->beta < 1e30f) {
      out_max = act->beta;
    }

    const memory::dims st = {strides[0], strides[1]}, pl = {pads[0], pads[1]}, pr = {pads[2], pads[3]};
    const auto prop = dnnl::prop_kind::forward_inference;
    const auto direct = dnnl::algorithm::convolution_direct;
    const bool x_int8 = x.desc.data_type() != dt::f32;
    const bool int8 = quantization_.int8 && (x_int8 || (x.max_abs > 0 && Int8Kind(n)));

    // int8: the source as stored (or quantised from f32 by a reorder), s8 weights per output channel,
    // the destination u8 when its range is known and only convolutions read it, else f32.
    const float src_scale = !int8 ? 1.f : x_int8 ? x.scale : x.max_abs / (x.non_negative ? 255.f : 127.f);
    float dst_scale = 1.f;
    std::vector<float> acc_scale;  // real value of one accumulator unit, per output channel
    dt dst_dt = dt::f32;
    if (int8) {
      if (out_max > 0 && sum_other.empty() && OnlyConvolutionsRead(result)) {
        dst_dt = dt::u8;
        dst_scale = out_max / 255.f;
      }
      const size_t per_channel = w->floats.size() / static_cast<size_t>(out_c);
      acc_scale.resize(out_c);
      for (int64_t o = 0; o < out_c; ++o) {
        float m = 0;
        for (size_t k = 0; k < per_channel; ++k) m = std::max(m, std::fabs(w->floats[o * per_channel + k]));
        acc_scale[o] = src_scale * (m > 0 ? m / 127.f : 1.f);
      }
    }

    dnnl::post_ops po;
    if (!sum_other.empty()) po.append_sum(1.f);
    if (act) AppendActivation(po, *act, dst_scale);
    dnnl::primitive_attr attr = PlanAttr();
    attr.set_post_ops(po);
    if (int8) {
      std::vector<float> out_scales(out_c);
      for (int64_t o = 0; o < out_c; ++o) out_scales[o] = acc_scale[o] / dst_scale;
      attr.set_output_scales(1 << 1, out_scales);
    }

    // bf16 destinations only where convolutions alone read them: a value leaving the
    // convolutions (a head, a residual sum, the net's output) keeps f32's mantissa, which halves
    // the descriptor net's distance to face-api's (0.009 -> 0.0055 on the parity photos).
    const bool bf16 = quantization_.bf16;
    if (bf16 && OnlyConvolutionsRead(result)) dst_dt = dt::bf16;
    const dt w_dt = int8 ? dt::s8 : bf16 ? dt::bf16 : dt::f32;
    // The source layout is left to the kernel when it may need a reorder anyway: an f32 value
    // to quantise, or (in an int8 plan) an f32 value an int8 convolution wrote in its own layout
    // (nhwc), which f32 kernels only run with a reference implementation.
    // With a fixed activation layout, the source is taken in it (the net's input is reordered
    // into it once) and the destination written in it.
    const tag activation = activation_layout_.value_or(tag::any);
    const memory::desc src_desc =
        int8 && !x_int8 ? memory::desc(xd, x.non_negative ? dt::u8 : dt::s8, activation)
        : bf16 && x.desc.data_type() != dt::bf16 ? memory::desc(xd, dt::bf16, activation)
        : activation_layout_ && x.desc != memory::desc(xd, x.desc.data_type(), activation)
            ? memory::desc(xd, x.desc.data_type(), activation)
        : quantization_.int8 && !int8 ? memory::desc(xd, dt::f32, tag::any)
                                      : x.desc;
    const memory::desc w_any(FilterDims(w, group), w_dt, tag::any);
    const memory::desc y_any(yd, dst_dt, activation);
    const memory::desc b_desc({out_c}, dt::f32, tag::x);
    const bool with_bias = b != nullptr || int8;
    dnnl::convolution_forward::primitive_desc pd;
    try {
      auto d = with_bias
                   ? dnnl::convolution_forward::desc(prop, direct, src_desc, w_any, b_desc, y_any, st, pl, pr)
                   : dnnl::convolution_forward::desc(prop, direct, src_desc, w_any, y_any, st, pl, pr);
      pd = dnnl::convolution_forward::primitive_desc(d, attr, engine_);
    } catch (const dnnl::error& e) {
      return Unsupported(std::string("oneDNN has no convolution for this case: ") + e.what());
    }

    memory weights, bias;
    const memory::dims wd = FilterDims(w, group);
    const tag w_tag = group == 1 ? tag::oihw : tag::goihw;
    if (int8) {
      // Weights as s8 = round(w / scale), bias in accumulator units (oneDNN adds it before scaling).
      memory plain(memory::desc(wd, dt::s8, w_tag), engine_);
      auto* q = static_cast<int8_t*>(plain.get_data_handle());
      const size_t per_channel = w->floats.size() / static_cast<size_t>(out_c);
      for (int64_t o = 0; o < out_c; ++o) {
        const float ws = acc_scale[o] / src_scale;
        for (size_t k = 0; k < per_channel; ++k) {
          const float v = std::nearbyint(w->floats[o * per_channel + k] / ws);
          q[o * per_channel + k] = static_cast<int8_t>(std::clamp(v, -127.f, 127.f));
        }
      }
      weights = weights_.Get(n.name + "/W8", plain, pd.weights_desc(), stream_);
      bias = memory(b_desc, engine_);
      auto* bq = static_cast<float*>(bias.get_data_handle());
      for (int64_t o = 0; o < out_c; ++o) bq[o] = b != nullptr ? b->floats[o] / acc_scale[o] : 0.f;
    } else {
      const memory plain_w = PlainWeights(*w, memory::desc(wd, dt::f32, w_tag));
      // The reorder into the kernel's layout also converts to bf16 when the kernel wants that.
      weights = weights_.Get(n.name + "/W", plain_w, pd.weights_desc(), stream_);
      if (b != nullptr) bias = PlainWeights(*b, b_desc);
    }

    // The source: as stored, or an f32 value quantised or reordered into the layout the kernel wants.
    memory src = x.mem;
    std::string quantised;
    if ((!int8 || x_int8) && pd.src_desc() != x.desc) {
      quantised = n.inputs[0] + "#r" + std::to_string(i);
      readers_[quantised] = {i};
      Value& r = Define(quantised, pd.src_desc());
      AddStep(dnnl::reorder(x.mem, r.mem, PlanAttr()), {{DNNL_ARG_FROM, x.mem}, {DNNL_ARG_TO, r.mem}});
      src = r.mem;
    } else if (int8 && !x_int8) {
      quantised = n.inputs[0] + "#q" + std::to_string(i);
      readers_[quantised] = {i};
      Value& q = Define(quantised, pd.src_desc());
      dnnl::primitive_attr qattr = PlanAttr();
      qattr.set_output_scales(0, {1.f / src_scale});
      AddStep(dnnl::reorder(x.mem, q.mem, qattr), {{DNNL_ARG_FROM, x.mem}, {DNNL_ARG_TO, q.mem}});
      src = q.mem;
    }

    Value* y = nullptr;
    if (!sum_other.empty()) {
      Value& other = values_.at(sum_other);
      if (other.uses == 1 && !keep_.count(sum_other) && other.buffer >= 0 &&
          pool_[other.buffer].holders == 1 && other.desc == pd.dst_desc()) {
        y = &DefineOn(result, pd.dst_desc(), other.buffer, other.mem.get_data_handle());  // in place
      } else {
        y = &Define(result, pd.dst_desc());
        AddStep(dnnl::reorder(other.mem, y->mem, PlanAttr()),
                {{DNNL_ARG_FROM, other.mem}, {DNNL_ARG_TO, y->mem}});
      }
    } else {
      y = &Define(result, pd.dst_desc());
    }
    y->max_abs = out_max;
    y->non_negative = out_max > 0;
    y->scale = dst_scale;
    std::unordered_map<int, memory> args = {
        {DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_DST, y->mem}};
    if (with_bias) args[DNNL_ARG_BIAS] = bias;
    AddStep(dnnl::convolution_forward(pd), std::move(args));
    if (!quantised.empty()) Consume(quantised);
    ConsumeInputs(n);
    if (!sum_other.empty()) Consume(sum_other);
    return Status::Ok();
  }

  // Filter dimensions as oneDNN wants them: oihw, or goihw for grouped convolutions.
  static memory::dims FilterDims(const OnnxTensor* w, int64_t group) {
    return group == 1 ? memory::dims{w->dims[0], w->dims[1], w->dims[2], w->dims[3]}
                      : memory::dims{group, w->dims[0] / group, w->dims[1], w->dims[2], w->dims[3]};
  }

  Status Eltwise(int i) {
    const OnnxNode& n = model_.nodes[i];
    dnnl::algorithm alg;
    float alpha, beta;
    if (!ActivationOf(n, model_, alg, alpha, beta)) return Unsupported("min/max must be constants");
    const Value& x = values_.at(n.inputs[0]);
    auto pd = dnnl::eltwise_forward::primitive_desc(
        dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_inference, alg, x.desc, alpha, beta), PlanAttr(),
        engine_);
    Value& y = Define(n.outputs[0], pd.dst_desc());
    AddStep(dnnl::eltwise_forward(pd), {{DNNL_ARG_SRC, x.mem}, {DNNL_ARG_DST, y.mem}});
    ConsumeInputs(n);
    return Status::Ok();
  }

  Status Pool(int i) {
    const OnnxNode& n = model_.nodes[i];
    const Value& x = values_.at(n.inputs[0]);
    const memory::dims xd = x.desc.dims();
    if (xd.size() != 4) return Unsupported("only 2-D pooling");
    memory::dims kernel, st = {1, 1}, pl = {0, 0}, pr = {0, 0};
    dnnl::algorithm alg = dnnl::algorithm::pooling_avg_exclude_padding;
    if (n.op_type == "GlobalAveragePool") {
      kernel = {xd[2], xd[3]};
    } else {
      kernel = n.Ints("kernel_shape");
      auto s = n.Ints("strides");
      if (!s.empty()) st = s;
      auto pads = n.Ints("pads");
      if (!pads.empty()) {
        if (pads.size() != 4) return Corrupt("bad pads");
        pl = {pads[0], pads[1]};
        pr = {pads[2], pads[3]};
      }
      if (n.Int("ceil_mode", 0) != 0) return Unsupported("ceil_mode");
      if (n.op_type == "MaxPool") alg = dnnl::algorithm::pooling_max;
      if (n.op_type == "AveragePool" && n.Int("count_include_pad", 0) != 0) {
        alg = dnnl::algorithm::pooling_avg_include_padding;
      }
    }
    if (kernel.size() != 2 || st.size() != 2) return Corrupt("bad kernel or strides");
    const memory::dims yd = {xd[0], xd[1], (xd[2] + pl[0] + pr[0] - kernel[0]) / st[0] + 1,
                             (xd[3] + pl[1] + pr[1] - kernel[1]) / st[1] + 1};
    auto pd = dnnl::pooling_forward::primitive_desc(
        dnnl::pooling_forward::desc(dnnl::prop_kind::forward_inference, alg, x.desc,
                                    memory::desc(yd, x.desc.data_type(), tag::any), st, kernel, pl, pr),
        PlanAttr(), engine_);
    Value& y = Define(n.outputs[0], pd.dst_desc());
    AddStep(dnnl::pooling_forward(pd), {{DNNL_ARG_SRC, x.mem}, {DNNL_ARG_DST, y.mem}});
    ConsumeInputs(n);
    return Status::Ok();
  }

  // Add and Sum of values of one shape (no broadcasting: the converted nets never need it), with
  // a following activation fused.
  Status Sum(int i) {
    const OnnxNode& n = model_.nodes[i];
    if (n.inputs.size() < 2) return Corrupt("needs two or more inputs");
    std::vector<memory::desc> srcs;
    for (const auto& name : n.inputs) {
      if (!values_.count(name)) return Unsupported("adding a constant");
      srcs.push_back(values_.at(name).desc);
      if (srcs.back().dims() != srcs[0].dims()) return Unsupported("broadcasting");
    }
    std::string result = n.outputs[0];
    dnnl::post_ops po;
    const int next = SoleReader(result);
    dnnl::algorithm alg;
    float alpha, beta;
    const bool fuse =
        n.inputs.size() == 2 && next >= 0 && ActivationOf(model_.nodes[next], model_, alg, alpha, beta);
    if (fuse) {
      po.append_eltwise(1.f, alg, alpha, beta);
      skipped_[next] = true;
      result = model_.nodes[next].outputs[0];
    }
    if (n.inputs.size() == 2) {
      dnnl::primitive_attr attr = PlanAttr();
      attr.set_post_ops(po);
      auto pd = dnnl::binary::primitive_desc(
          dnnl::binary::desc(dnnl::algorithm::binary_add, srcs[0], srcs[1], srcs[0]), attr, engine_);
      Value& y = Define(result, pd.dst_desc());
      AddStep(dnnl::binary(pd), {{DNNL_ARG_SRC_0, values_.at(n.inputs[0]).mem},
                                 {DNNL_ARG_SRC_1, values_.at(n.inputs[1]).mem},
                                 {DNNL_ARG_DST, y.mem}});
    } else {
      auto pd =
          dnnl::sum::primitive_desc(srcs[0], std::vector<float>(srcs.size(), 1.f), srcs, engine_, PlanAttr());
      Value& y = Define(result, pd.dst_desc());
      std::unordered_map<int, memory> args = {{DNNL_ARG_DST, y.mem}};
      for (size_t k = 0; k < n.inputs.size(); ++k) {
        args[DNNL_ARG_MULTIPLE_SRC + static_cast<int>(k)] = values_.at(n.inputs[k]).mem;
      }
      AddStep(dnnl::sum(pd), std::move(args));
    }
    ConsumeInputs(n);
    return Status::Ok();
  }

  // Constant zero padding: the input is reordered into a window of a zeroed larger tensor of the
  // same layout (plain when the blocked layout cannot express the window).
  Status Pad(int i) {
    const OnnxNode& n = model_.nodes[i];
    if (n.Text("mode", "constant") != "constant" || n.Float("value", 0.f) != 0.f) {
      return Unsupported("only zero padding");
    }
    const auto pads = n.Ints("pads");
    const memory::dims xd = values_.at(n.inputs[0]).desc.dims();
    if (pads.size() != 2 * xd.size()) return Unsupported("pads must be attributes (opset 10)");
    memory::dims yd = xd, offsets(xd.size());
    for (size_t k = 0; k < xd.size(); ++k) {
      if (pads[k] < 0 || pads[k + xd.size()] < 0) return Unsupported("negative pads");
      yd[k] += pads[k] + pads[k + xd.size()];
      offsets[k] = pads[k];
    }
    Value x = values_.at(n.inputs[0]);
    memory::desc ydesc, window;
    for (tag t : {tag::nChw16c, tag::nChw8c, tag::nhwc}) {
      if (xd.size() != 4 || x.desc != memory::desc(xd, x.desc.data_type(), t)) continue;
      try {
        ydesc = memory::desc(yd, x.desc.data_type(), t);
        window = ydesc.submemory_desc(xd, offsets);
      } catch (const dnnl::error&) {
        ydesc = window = memory::desc();
      }
      break;
    }
    if (window.is_zero()) {
      x = ToPlain(n.inputs[0]);
      ydesc = PlainDesc(yd);
      window = ydesc.submemory_desc(xd, offsets);
    }
    Value& y = Define(n.outputs[0], ydesc);
    const memory view(window, engine_, y.mem.get_data_handle());
    AddStep(dnnl::reorder(x.mem, view, PlanAttr()), {{DNNL_ARG_FROM, x.mem}, {DNNL_ARG_TO, view}}, y.mem);
    ConsumePlainCopy(n.inputs[0], x);
    ConsumeInputs(n);
    return Status::Ok();
  }

  // Flatten and Reshape: a view of the plain row-major data with other dimensions.
  Status Reshape(int i) {
    const OnnxNode& n = model_.nodes[i];
    const memory::dims xd = values_.at(n.inputs[0]).desc.dims();
    const int64_t count = std::accumulate(xd.begin(), xd.end(), int64_t{1}, std::multiplies<>());
    memory::dims yd;
    if (n.op_type == "Flatten") {
      const int64_t axis = n.Int("axis", 1);
      if (axis < 0 || axis > static_cast<int64_t>(xd.size())) return Corrupt("bad axis");
      const int64_t outer = std::accumulate(xd.begin(), xd.begin() + axis, int64_t{1}, std::multiplies<>());
      yd = {outer, count / outer};
    } else {
      const OnnxTensor* shape = Init(n, 1);
      if (shape == nullptr || !shape->is_int64) return Unsupported("the shape must be a constant");
      int infer = -1;
      int64_t known = 1;
      for (size_t k = 0; k < shape->int64s.size(); ++k) {
        int64_t d = shape->int64s[k];
        if (d == 0) {
          if (k >= xd.size()) return Corrupt("bad shape");
          d = xd[k];
        }
        if (d == -1) {
          if (infer >= 0) return Corrupt("two -1 in a shape");
          infer = static_cast<int>(k);
        } else {
          known *= d;
        }
        yd.push_back(d);
      }
      if (infer >= 0) yd[infer] = known == 0 ? 0 : count / known;
    }
    if (std::accumulate(yd.begin(), yd.end(), int64_t{1}, std::multiplies<>()) != count) {
      return Corrupt("reshape changes the number of elements");
    }
    const Value x = ToPlain(n.inputs[0]);
    DefineOn(n.outputs[0], PlainDesc(yd), x.buffer, x.mem.get_data_handle());
    ConsumePlainCopy(n.inputs[0], x);
    ConsumeInputs(n);
    return Status::Ok();
  }

  // Transpose: a reorder into plain storage whose strides follow the permutation.
  Status Transpose(int i) {
    const OnnxNode& n = model_.nodes[i];
    const Value& x = values_.at(n.inputs[0]);
    const memory::dims xd = x.desc.dims();
    auto perm = n.Ints("perm");
    if (perm.empty()) {
      for (int64_t k = static_cast<int64_t>(xd.size()) - 1; k >= 0; --k) perm.push_back(k);
    }
    if (perm.size() != xd.size()) return Corrupt("perm does not match the input");
    memory::dims yd(xd.size());
    for (size_t k = 0; k < perm.size(); ++k) {
      if (perm[k] < 0 || perm[k] >= static_cast<int64_t>(xd.size())) return Corrupt("bad perm");
      yd[k] = xd[perm[k]];
    }
    const memory::dims ys = RowMajorStrides(yd);
    memory::dims xs(xd.size());
    for (size_t k = 0; k < perm.size(); ++k) xs[perm[k]] = ys[k];
    Value& y = Define(n.outputs[0], PlainDesc(yd));
    const memory view(memory::desc(xd, dt::f32, xs), engine_, y.mem.get_data_handle());
    AddStep(dnnl::reorder(x.mem, view, PlanAttr()), {{DNNL_ARG_FROM, x.mem}, {DNNL_ARG_TO, view}});
    ConsumeInputs(n);
    return Status::Ok();
  }

  Status Concat(int i) {
    const OnnxNode& n = model_.nodes[i];
    std::vector<Value> xs;
    std::vector<memory::desc> descs;
    for (const auto& name : n.inputs) {
      xs.push_back(ToPlain(name));
      descs.push_back(xs.back().desc);
    }
    int64_t axis = n.Int("axis", 1);
    const int64_t rank = static_cast<int64_t>(descs[0].dims().size());
    if (axis < 0) axis += rank;
    if (axis < 0 || axis >= rank) return Corrupt("bad axis");
    memory::dims yd = descs[0].dims();
    yd[axis] = 0;
    for (const auto& d : descs) yd[axis] += d.dims()[axis];
    auto pd = dnnl::concat::primitive_desc(PlainDesc(yd), static_cast<int>(axis), descs, engine_, PlanAttr());
    Value& y = Define(n.outputs[0], pd.dst_desc());
    std::unordered_map<int, memory> args = {{DNNL_ARG_DST, y.mem}};
    for (size_t k = 0; k < xs.size(); ++k) args[DNNL_ARG_MULTIPLE_SRC + static_cast<int>(k)] = xs[k].mem;
    AddStep(dnnl::concat(pd), std::move(args));
    for (size_t k = 0; k < xs.size(); ++k) ConsumePlainCopy(n.inputs[k], xs[k]);
    ConsumeInputs(n);
    return Status::Ok();
  }

  // Gemm as a fully connected layer: Y = X * W^T + B with constant W and B.
  Status Gemm(int i) {
    const OnnxNode& n = model_.nodes[i];
    const OnnxTensor* w = Init(n, 1);
    const OnnxTensor* b = Init(n, 2);
    if (w == nullptr || w->dims.size() != 2 || w->is_int64) return Unsupported("B must be a 2-D constant");
    if (n.Int("transA", 0) != 0 || n.Float("alpha", 1.f) != 1.f || n.Float("beta", 1.f) != 1.f) {
      return Unsupported("only Gemm with transA = 0, alpha = beta = 1");
    }
    const Value x = ToPlain(n.inputs[0]);
    const memory::dims xd = x.desc.dims();
    if (xd.size() != 2) return Unsupported("A must be 2-D");
    const bool trans_b = n.Int("transB", 0) != 0;
    const int64_t k = trans_b ? w->dims[1] : w->dims[0], out = trans_b ? w->dims[0] : w->dims[1];
    if (k != xd[1]) return Corrupt("B does not match A");
    const memory::desc w_plain =
        trans_b ? memory::desc({out, k}, dt::f32, tag::oi) : memory::desc({out, k}, dt::f32, tag::io);
    const memory plain_w = PlainWeights(*w, w_plain);
    memory plain_b;
    if (b != nullptr) {
      if (b->floats.size() != static_cast<size_t>(out)) return Unsupported("C must be a vector of N values");
      plain_b = PlainWeights(*b, memory::desc({out}, dt::f32, tag::x));
    }
    plan_.conv_macs_ += static_cast<double>(xd[0]) * out * k;
    const memory::desc y_desc = PlainDesc({xd[0], out});
    const auto prop = dnnl::prop_kind::forward_inference;
    const memory::desc w_any({out, k}, dt::f32, tag::any);
    auto d = b != nullptr ? dnnl::inner_product_forward::desc(prop, x.desc, w_any, plain_b.get_desc(), y_desc)
                          : dnnl::inner_product_forward::desc(prop, x.desc, w_any, y_desc);
    auto pd = dnnl::inner_product_forward::primitive_desc(d, PlanAttr(), engine_);
    const memory weights = weights_.Get(n.name + "/W", plain_w, pd.weights_desc(), stream_);
    Value& y = Define(n.outputs[0], pd.dst_desc());
    std::unordered_map<int, memory> args = {
        {DNNL_ARG_SRC, x.mem}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_DST, y.mem}};
    if (b != nullptr) args[DNNL_ARG_BIAS] = plain_b;
    AddStep(dnnl::inner_product_forward(pd), std::move(args));
    ConsumePlainCopy(n.inputs[0], x);
    ConsumeInputs(n);
    return Status::Ok();
  }

  // Releases the temporary plain copy ToPlain may have made of `name`.
  void ConsumePlainCopy(const std::string& name, const Value& used) {
    if (used.mem.get_data_handle() != values_.at(name).mem.get_data_handle()) Consume(name + "#plain");
  }

  const OnnxModel& model_;
  const dnnl::engine& engine_;
  dnnl::stream& stream_;
  OneDnnWeightCache& weights_;
  const OneDnnQuantization& quantization_;
  const std::optional<tag> activation_layout_;
  OneDnnPlan& plan_;
  int current_node_ = -1;
  std::string first_reference_;
  size_t scratchpad_bytes_ = 0;           // the most any step needs (PlanAttr)
  std::vector<size_t> scratchpad_steps_;  // the steps that need some
  std::unordered_map<std::string, Value> values_;
  std::unordered_map<std::string, std::vector<int>> readers_;
  std::set<std::string> keep_;
  std::vector<Buffer> pool_;
  std::vector<bool> skipped_;
};

Result<std::unique_ptr<OneDnnPlan>> OneDnnPlan::Build(
    const OnnxModel& model, const std::vector<std::string>& outputs, const std::vector<int>& input_shape,
    const dnnl::engine& engine, dnnl::stream& stream, OneDnnWeightCache& weights,
    const OneDnnQuantization& quantization, size_t* layout_hint) {
  std::shared_lock side_by_side(PlanBuilding(), std::defer_lock);
  std::unique_lock alone(PlanBuilding(), std::defer_lock);
  if (quantization.bf16 || quantization.int8) {
    alone.lock();
  } else {
    side_by_side.lock();
  }
  std::string references;
  constexpr size_t kLayouts = std::size(kActivationLayouts);
  const size_t first = layout_hint != nullptr && *layout_hint < kLayouts ? *layout_hint : 0;
  for (size_t k = 0; k < kLayouts; ++k) {
    const size_t index = (first + k) % kLayouts;
    const std::optional<tag> layout = kActivationLayouts[index];
    std::unique_ptr<OneDnnPlan> plan(new OneDnnPlan());
    try {
      OneDnnPlanBuilder builder(model, engine, stream, weights, quantization, layout, *plan);
      FACETAG_RETURN_IF_ERROR(builder.Build(outputs, input_shape));
      if (builder.first_reference().empty()) {
        if (layout_hint != nullptr) *layout_hint = index;
        return plan;
      }
      references += (references.empty() ? "" : "; ") + LayoutName(layout) + ": " + builder.first_reference();
    } catch (const dnnl::error& e) {
      return Unsupported(std::string("oneDNN cannot run this model: ") + e.what());
    } catch (const std::bad_alloc&) {
      return Internal("out of memory building the oneDNN plan");
    }
  }
  return Unsupported("oneDNN has only reference kernels for this net on this CPU (" + references + ")");
}

Result<std::vector<Tensor>> OneDnnPlan::Run(const Tensor& input, dnnl::stream& stream) {
  try {
    input_.set_data_handle(const_cast<float*>(input.data.data()));
    for (auto& step : steps_) {
      if (step.zero_fill)
        std::memset(step.zero_fill.get_data_handle(), 0, step.zero_fill.get_desc().get_size());
      step.primitive.execute(stream, step.args);
    }
    stream.wait();
    input_.set_data_handle(nullptr);
  } catch (const dnnl::error& e) {
    return Internal(std::string("oneDNN: ") + e.what());
  }
  std::vector<Tensor> out;
  for (const auto& m : outputs_) {
    const memory::dims d = m.get_desc().dims();
    Tensor t(std::vector<int>(d.begin(), d.end()));
    std::memcpy(t.data.data(), m.get_data_handle(), t.size() * sizeof(float));
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace facetag::nn
