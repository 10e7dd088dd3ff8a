#include "support/heic_grid.h"

#include <libheif/heif.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <utility>

namespace facetag::testing {
namespace {

using Bytes = std::vector<uint8_t>;

// ---- reading the one-image HEIC that libheif writes for a tile -----------------------------------

// Big-endian fields of a box payload; reading past the end sets failed() instead of reading on.
class Reader {
 public:
  explicit Reader(std::span<const uint8_t> data) : data_(data) {}
  uint64_t Read(int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) {
      if (pos_ >= data_.size()) {
        failed_ = true;
        return 0;
      }
      v = (v << 8) | data_[pos_++];
    }
    return v;
  }
  bool failed() const { return failed_; }

 private:
  std::span<const uint8_t> data_;
  size_t pos_ = 0;
  bool failed_ = false;
};

struct Box {
  std::string type;
  std::span<const uint8_t> whole;  // header included: properties are copied whole
  std::span<const uint8_t> payload;
};

Result<std::vector<Box>> Children(std::span<const uint8_t> data) {
  std::vector<Box> boxes;
  size_t pos = 0;
  while (pos < data.size()) {
    Reader r(data.subspan(pos));
    uint64_t size = r.Read(4);
    r.Read(4);
    size_t header = 8;
    if (size == 1) {
      size = r.Read(8);
      header = 16;
    } else if (size == 0) {
      size = data.size() - pos;  // to the end of the parent
    }
    if (r.failed() || size < header || size > data.size() - pos)
      return Corrupt("HEIF box overruns its parent");
    const std::string type(reinterpret_cast<const char*>(data.data() + pos + 4), 4);
    boxes.push_back({type, data.subspan(pos, size), data.subspan(pos + header, size - header)});
    pos += size;
  }
  return boxes;
}

const Box* Find(const std::vector<Box>& boxes, const std::string& type) {
  const auto it = std::find_if(boxes.begin(), boxes.end(), [&](const Box& b) { return b.type == type; });
  return it == boxes.end() ? nullptr : &*it;
}

struct Property {
  Bytes box;
  bool essential = false;
};

struct CodedItem {
  std::vector<Property> properties;  // hvcC, ispe, colr, ... as libheif wrote them
  Bytes data;                        // the coded bitstream (length-prefixed NAL units)
};

// The primary item's properties (ipma into ipco) and bytes (iloc into the file).
Result<CodedItem> ExtractPrimaryItem(std::span<const uint8_t> file) {
  auto top = Children(file);
  if (!top.ok()) return top.status();
  const Box* meta = Find(*top, "meta");
  if (meta == nullptr || meta->payload.size() < 4) return Corrupt("tile HEIC has no meta box");
  auto in_meta = Children(meta->payload.subspan(4));  // after the FullBox version and flags
  if (!in_meta.ok()) return in_meta.status();
  const Box* pitm = Find(*in_meta, "pitm");
  const Box* iloc = Find(*in_meta, "iloc");
  const Box* iprp = Find(*in_meta, "iprp");
  if (pitm == nullptr || iloc == nullptr || iprp == nullptr) return Corrupt("tile HEIC lacks pitm/iloc/iprp");
  auto in_iprp = Children(iprp->payload);
  if (!in_iprp.ok()) return in_iprp.status();
  const Box* ipco = Find(*in_iprp, "ipco");
  const Box* ipma = Find(*in_iprp, "ipma");
  if (ipco == nullptr || ipma == nullptr) return Corrupt("tile HEIC lacks ipco/ipma");
  auto properties = Children(ipco->payload);
  if (!properties.ok()) return properties.status();

  Reader pr(pitm->payload);
  const uint64_t pitm_version = pr.Read(1);
  pr.Read(3);
  const uint64_t primary = pr.Read(pitm_version == 0 ? 2 : 4);

  CodedItem item;
  Reader ar(ipma->payload);
  const uint64_t ipma_version = ar.Read(1);
  const uint64_t ipma_flags = ar.Read(3);
  const uint64_t entries = ar.Read(4);
  for (uint64_t e = 0; e < entries && !ar.failed(); ++e) {
    const uint64_t id = ar.Read(ipma_version < 1 ? 2 : 4);
    const uint64_t associations = ar.Read(1);
    for (uint64_t a = 0; a < associations && !ar.failed(); ++a) {
      const bool wide = (ipma_flags & 1) != 0;
      const uint64_t v = ar.Read(wide ? 2 : 1);
      const uint64_t index = v & (wide ? 0x7FFF : 0x7F);  // 1-based; 0 is "no property"
      if (id != primary || index == 0) continue;
      if (index > properties->size()) return Corrupt("tile HEIC: ipma names a missing property");
      const auto& whole = (*properties)[index - 1].whole;
      item.properties.push_back({Bytes(whole.begin(), whole.end()), (v >> (wide ? 15 : 7)) != 0});
    }
  }

  Reader lr(iloc->payload);
  const uint64_t v = lr.Read(1);
  lr.Read(3);
  const uint64_t sizes = lr.Read(1);
  const int offset_size = static_cast<int>(sizes >> 4), length_size = static_cast<int>(sizes & 15);
  const uint64_t more_sizes = lr.Read(1);
  const int base_offset_size = static_cast<int>(more_sizes >> 4);
  const int index_size = (v == 1 || v == 2) ? static_cast<int>(more_sizes & 15) : 0;
  const uint64_t items = lr.Read(v < 2 ? 2 : 4);
  for (uint64_t i = 0; i < items && !lr.failed(); ++i) {
    const uint64_t id = lr.Read(v < 2 ? 2 : 4);
    const uint64_t method = (v == 1 || v == 2) ? (lr.Read(2) & 15) : 0;
    lr.Read(2);  // data_reference_index: this file
    const uint64_t base = lr.Read(base_offset_size);
    const uint64_t extents = lr.Read(2);
    for (uint64_t x = 0; x < extents && !lr.failed(); ++x) {
      lr.Read(index_size);
      const uint64_t offset = base + lr.Read(offset_size);
      uint64_t length = lr.Read(length_size);
      if (id != primary) continue;
      if (method != 0) return Unsupported("tile HEIC: coded data outside the file's mdat");
      if (length == 0 && offset <= file.size()) length = file.size() - offset;  // "to the end of the file"
      if (offset > file.size() || length > file.size() - offset)
        return Corrupt("tile HEIC: iloc past the end");
      item.data.insert(item.data.end(), file.begin() + static_cast<std::ptrdiff_t>(offset),
                       file.begin() + static_cast<std::ptrdiff_t>(offset + length));
    }
  }
  if (pr.failed() || ar.failed() || lr.failed()) return Corrupt("tile HEIC: truncated pitm/ipma/iloc");
  if (item.data.empty()) return Corrupt("tile HEIC: no coded data for the primary item");
  return item;
}

// ---- encoding a tile with libheif ----------------------------------------------------------------

struct ContextDeleter {
  void operator()(heif_context* c) const { heif_context_free(c); }
};
struct EncoderDeleter {
  void operator()(heif_encoder* e) const { heif_encoder_release(e); }
};
struct ImageDeleter {
  void operator()(heif_image* i) const { heif_image_release(i); }
};

heif_error AppendTo(heif_context*, const void* data, size_t size, void* userdata) {
  auto* out = static_cast<Bytes*>(userdata);
  const auto* p = static_cast<const uint8_t*>(data);
  out->insert(out->end(), p, p + size);
  return heif_error{heif_error_Ok, heif_suberror_Unspecified, "ok"};
}

Status LibheifStatus(const heif_error& err, const std::string& what) {
  if (err.code == heif_error_Ok) return Status::Ok();
  return Internal("libheif " + what + ": " + (err.message ? err.message : "unknown error"));
}

// The tile whose top-left is (x0, y0), edge pixels repeated where it overhangs the image.
Result<Bytes> EncodeTile(const Image& image, int x0, int y0, int tile_size, int quality) {
  heif_image* raw_image = nullptr;
  FACETAG_RETURN_IF_ERROR(LibheifStatus(
      heif_image_create(tile_size, tile_size, heif_colorspace_RGB, heif_chroma_interleaved_RGB, &raw_image),
      "image"));
  std::unique_ptr<heif_image, ImageDeleter> tile(raw_image);
  FACETAG_RETURN_IF_ERROR(LibheifStatus(
      heif_image_add_plane(tile.get(), heif_channel_interleaved, tile_size, tile_size, 8), "plane"));
  int stride = 0;
  uint8_t* plane = heif_image_get_plane(tile.get(), heif_channel_interleaved, &stride);
  for (int y = 0; y < tile_size; ++y) {
    const uint8_t* src = image.row(std::min(y0 + y, image.height - 1));
    uint8_t* dst = plane + static_cast<size_t>(y) * static_cast<size_t>(stride);
    for (int x = 0; x < tile_size; ++x)
      std::memcpy(dst + 3 * x, src + 3 * std::min(x0 + x, image.width - 1), 3);
  }

  std::unique_ptr<heif_context, ContextDeleter> ctx(heif_context_alloc());
  heif_encoder* raw_encoder = nullptr;
  FACETAG_RETURN_IF_ERROR(LibheifStatus(
      heif_context_get_encoder_for_format(ctx.get(), heif_compression_HEVC, &raw_encoder), "HEVC encoder"));
  std::unique_ptr<heif_encoder, EncoderDeleter> encoder(raw_encoder);
  FACETAG_RETURN_IF_ERROR(LibheifStatus(heif_encoder_set_lossy_quality(encoder.get(), quality), "quality"));
  FACETAG_RETURN_IF_ERROR(LibheifStatus(
      heif_context_encode_image(ctx.get(), tile.get(), encoder.get(), nullptr, nullptr), "encode"));
  Bytes file;
  heif_writer writer{1, AppendTo};
  FACETAG_RETURN_IF_ERROR(LibheifStatus(heif_context_write(ctx.get(), &writer, &file), "write"));
  return file;
}

// ---- writing the grid file -----------------------------------------------------------------------

class Writer {
 public:
  void U8(uint64_t v) { bytes_.push_back(static_cast<uint8_t>(v)); }
  void U16(uint64_t v) { Be(v, 2); }
  void U32(uint64_t v) { Be(v, 4); }
  void Type(const char* fourcc) { bytes_.insert(bytes_.end(), fourcc, fourcc + 4); }
  void Append(std::span<const uint8_t> b) { bytes_.insert(bytes_.end(), b.begin(), b.end()); }
  // Open*/Close bracket a box; Close writes its size once the contents are known.
  size_t Open(const char* type) {
    const size_t at = bytes_.size();
    U32(0);
    Type(type);
    return at;
  }
  size_t OpenFull(const char* type, int version, uint32_t flags) {
    const size_t at = Open(type);
    U8(static_cast<uint64_t>(version));
    Be(flags, 3);
    return at;
  }
  void Close(size_t at) {
    const uint64_t size = bytes_.size() - at;
    for (int i = 0; i < 4; ++i) bytes_[at + i] = static_cast<uint8_t>(size >> (8 * (3 - i)));
  }
  const Bytes& bytes() const { return bytes_; }

 private:
  void Be(uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  Bytes bytes_;
};

struct GridLayout {
  int width = 0, height = 0, rows = 0, columns = 0;
  std::vector<Bytes> properties;                        // ipco, in order (index = position + 1)
  std::vector<std::vector<std::pair<int, bool>>> uses;  // per item: (property index, essential)
  std::vector<Bytes> tile_data;                         // items 2.. in raster order
};

// ipco holds each distinct property once; tiles encoded alike share their hvcC and ispe.
int PropertyIndex(GridLayout& layout, const Bytes& box) {
  const auto it = std::find(layout.properties.begin(), layout.properties.end(), box);
  if (it != layout.properties.end()) return static_cast<int>(it - layout.properties.begin()) + 1;
  layout.properties.push_back(box);
  return static_cast<int>(layout.properties.size());
}

// ftyp + meta, with the tiles' iloc offsets counted from mdat_payload (where the first tile starts).
Bytes Header(const GridLayout& layout, uint64_t mdat_payload) {
  const int tiles = layout.rows * layout.columns;
  const int grid_id = 1;  // tiles are 2 .. tiles + 1
  Writer w;
  size_t box = w.Open("ftyp");
  w.Type("heic");
  w.U32(0);
  w.Type("mif1");
  w.Type("heic");
  w.Close(box);

  const size_t meta = w.OpenFull("meta", 0, 0);
  box = w.OpenFull("hdlr", 0, 0);
  w.U32(0);
  w.Type("pict");
  for (int i = 0; i < 3; ++i) w.U32(0);
  w.U8(0);  // empty name
  w.Close(box);

  box = w.OpenFull("pitm", 0, 0);
  w.U16(grid_id);
  w.Close(box);

  box = w.OpenFull("iinf", 0, 0);
  w.U16(static_cast<uint64_t>(tiles + 1));
  for (int id = grid_id; id <= tiles + 1; ++id) {
    const size_t infe = w.OpenFull("infe", 2, id == grid_id ? 0 : 1);  // flag 1: hidden
    w.U16(static_cast<uint64_t>(id));
    w.U16(0);  // not protected
    w.Type(id == grid_id ? "grid" : "hvc1");
    w.U8(0);  // empty name
    w.Close(infe);
  }
  w.Close(box);

  box = w.OpenFull("iref", 0, 0);
  const size_t dimg = w.Open("dimg");
  w.U16(grid_id);
  w.U16(static_cast<uint64_t>(tiles));
  for (int id = 2; id <= tiles + 1; ++id) w.U16(static_cast<uint64_t>(id));
  w.Close(dimg);
  w.Close(box);

  box = w.Open("iprp");
  const size_t ipco = w.Open("ipco");
  for (const Bytes& p : layout.properties) w.Append(p);
  w.Close(ipco);
  const size_t ipma = w.OpenFull("ipma", 0, 1);  // flag 1: 15-bit property indices
  w.U32(static_cast<uint64_t>(tiles + 1));
  for (int id = grid_id; id <= tiles + 1; ++id) {
    const auto& uses = layout.uses[static_cast<size_t>(id - 1)];
    w.U16(static_cast<uint64_t>(id));
    w.U8(uses.size());
    for (const auto& [index, essential] : uses)
      w.U16((essential ? 0x8000u : 0u) | static_cast<unsigned>(index));
  }
  w.Close(ipma);
  w.Close(box);

  // The grid's descriptor lives in idat (construction method 1), as phones store it; the tiles
  // in mdat (method 0, offsets from the start of the file).
  box = w.OpenFull("iloc", 1, 0);
  w.U8(0x44);  // 4-byte offsets and lengths
  w.U8(0x00);  // no base offsets, no extent indices
  w.U16(static_cast<uint64_t>(tiles + 1));
  uint64_t offset = mdat_payload;
  for (int id = grid_id; id <= tiles + 1; ++id) {
    w.U16(static_cast<uint64_t>(id));
    w.U16(id == grid_id ? 1 : 0);
    w.U16(0);  // data_reference_index: this file
    w.U16(1);  // one extent
    if (id == grid_id) {
      w.U32(0);
      w.U32(8);
      continue;
    }
    const uint64_t length = layout.tile_data[static_cast<size_t>(id - 2)].size();
    w.U32(offset);
    w.U32(length);
    offset += length;
  }
  w.Close(box);

  box = w.Open("idat");
  w.U8(0);  // version
  w.U8(0);  // flags: 16-bit output size
  w.U8(static_cast<uint64_t>(layout.rows - 1));
  w.U8(static_cast<uint64_t>(layout.columns - 1));
  w.U16(static_cast<uint64_t>(layout.width));
  w.U16(static_cast<uint64_t>(layout.height));
  w.Close(box);
  w.Close(meta);
  return w.bytes();
}

Bytes IspeBox(int width, int height) {
  Writer w;
  const size_t box = w.OpenFull("ispe", 0, 0);
  w.U32(static_cast<uint64_t>(width));
  w.U32(static_cast<uint64_t>(height));
  w.Close(box);
  return w.bytes();
}

std::string BoxType(const Bytes& box) {
  return box.size() < 8 ? "" : std::string(box.begin() + 4, box.begin() + 8);
}

}  // namespace

Result<std::vector<uint8_t>> EncodeHeicGrid(const Image& image, int tile_size, int quality) {
  if (image.empty() || tile_size <= 0 || tile_size % 2 != 0) {
    return InvalidArgument("EncodeHeicGrid: needs an image and an even tile size");
  }
  GridLayout layout;
  layout.width = image.width;
  layout.height = image.height;
  layout.rows = (image.height + tile_size - 1) / tile_size;
  layout.columns = (image.width + tile_size - 1) / tile_size;
  if (image.width > 0xFFFF || image.height > 0xFFFF || layout.rows > 256 || layout.columns > 256) {
    return InvalidArgument("EncodeHeicGrid: at most 65535 pixels and 256 tiles per side");
  }

  // The grid item: its own size, plus the tiles' colour properties (colr, pixi) so that it is
  // shown as they were coded. Its uses are filled in once the first tile is known.
  layout.uses.emplace_back();
  for (int r = 0; r < layout.rows; ++r) {
    for (int c = 0; c < layout.columns; ++c) {
      auto file = EncodeTile(image, c * tile_size, r * tile_size, tile_size, quality);
      if (!file.ok()) return file.status();
      auto item = ExtractPrimaryItem(*file);
      if (!item.ok()) return item.status();
      auto& uses = layout.uses.emplace_back();
      for (const Property& p : item->properties) {
        uses.emplace_back(PropertyIndex(layout, p.box), p.essential);
        const std::string type = BoxType(p.box);
        if (r == 0 && c == 0 && type != "hvcC" && type != "ispe") {
          layout.uses[0].emplace_back(PropertyIndex(layout, p.box), p.essential);
        }
      }
      layout.tile_data.push_back(std::move(item->data));
    }
  }
  layout.uses[0].emplace(layout.uses[0].begin(), PropertyIndex(layout, IspeBox(image.width, image.height)),
                         false);

  // Offsets in iloc are fixed-width, so the header's size does not depend on them.
  const uint64_t mdat_payload = Header(layout, 0).size() + 8;
  Bytes out = Header(layout, mdat_payload);
  uint64_t mdat_size = 8;
  for (const Bytes& t : layout.tile_data) mdat_size += t.size();
  if (mdat_payload + mdat_size > 0xFFFFFFFFu) return InvalidArgument("EncodeHeicGrid: over 4 GB");
  Writer mdat;
  mdat.U32(mdat_size);
  mdat.Type("mdat");
  out.insert(out.end(), mdat.bytes().begin(), mdat.bytes().end());
  for (const Bytes& t : layout.tile_data) out.insert(out.end(), t.begin(), t.end());
  return out;
}

}  // namespace facetag::testing
