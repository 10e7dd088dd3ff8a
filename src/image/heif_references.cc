// Reads just enough ISO-BMFF (ISO/IEC 14496-12) to list the items of the 'meta' box ('iinf'/'infe')
// and their derivation references ('iref'/'dimg').
//
// libheif reads malformed boxes more leniently than this reader (an 'iref' entry is read by its
// content, whatever its size says), so in a sloppy file the two could see different items. Hence
// the rule: a file with the bytes of an 'iden' or 'iovl' item type anywhere must be well-formed,
// box by box, for the check to vouch for it; otherwise it is refused as corrupt. Cameras and
// phones write well-formed files, and a file without those bytes cannot have such an item.
#include "image/heif_references.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace facetag::image_internal {
namespace {

// A bounds-checked big-endian reader.
class Reader {
 public:
  explicit Reader(std::span<const uint8_t> data) : data_(data) {}
  bool empty() const { return pos_ == data_.size(); }
  size_t left() const { return data_.size() - pos_; }
  std::optional<uint64_t> Read(size_t bytes) {
    if (left() < bytes) return std::nullopt;
    uint64_t value = 0;
    for (size_t i = 0; i < bytes; ++i) value = (value << 8) | data_[pos_ + i];
    pos_ += bytes;
    return value;
  }
  std::optional<std::span<const uint8_t>> Take(uint64_t bytes) {
    if (left() < bytes) return std::nullopt;
    const auto taken = data_.subspan(pos_, static_cast<size_t>(bytes));
    pos_ += static_cast<size_t>(bytes);
    return taken;
  }
  std::optional<std::string_view> FourCc() {
    const auto bytes = Take(4);
    if (!bytes) return std::nullopt;
    return std::string_view(reinterpret_cast<const char*>(bytes->data()), 4);
  }

 private:
  std::span<const uint8_t> data_;
  size_t pos_ = 0;
};

struct Box {
  std::string_view type;
  std::span<const uint8_t> payload;
};

// The boxes that fill `data` exactly; nullopt when one does not fit. With `up_to_misfit`, the
// boxes before the first that does not fit (bytes after a file's last box are not its concern).
std::optional<std::vector<Box>> Boxes(std::span<const uint8_t> data, bool up_to_misfit = false) {
  std::vector<Box> boxes;
  Reader r(data);
  while (!r.empty()) {
    const auto size32 = r.Read(4);
    const auto type = r.FourCc();
    if (!size32 || !type) return up_to_misfit ? std::optional(boxes) : std::nullopt;
    uint64_t header = 8, size = *size32;
    if (size == 1) {
      const auto large = r.Read(8);
      if (!large) return up_to_misfit ? std::optional(boxes) : std::nullopt;
      header = 16, size = *large;
    } else if (size == 0) {
      size = header + r.left();  // the last box runs to the end
    }
    const auto payload = size < header ? std::nullopt : r.Take(size - header);
    if (!payload) return up_to_misfit ? std::optional(boxes) : std::nullopt;
    boxes.push_back({*type, *payload});
  }
  return boxes;
}

// A full box's version, and its payload after version and flags.
std::optional<std::pair<uint8_t, std::span<const uint8_t>>> FullBox(const Box& box) {
  if (box.payload.size() < 4) return std::nullopt;
  return std::make_pair(box.payload[0], box.payload.subspan(4));
}

bool IsCodedImageType(std::string_view type) { return type == "hvc1" || type == "av01"; }
bool IsDerivedImageType(std::string_view type) { return type == "grid" || type == "iden" || type == "iovl"; }

bool Contains(std::span<const uint8_t> bytes, std::string_view what) {
  return std::search(bytes.begin(), bytes.end(), what.begin(), what.end()) != bytes.end();
}

struct Items {
  std::map<uint32_t, std::string_view> type;          // by item id
  std::vector<std::pair<uint32_t, uint32_t>> derive;  // 'dimg': (derived item, item it uses)
};

// 'iinf': an entry count, then exactly that many 'infe' boxes.
bool ReadItemInfo(const Box& iinf, Items& items) {
  const auto full = FullBox(iinf);
  if (!full) return false;
  Reader r(full->second);
  const auto count = r.Read(full->first == 0 ? 2 : 4);
  const auto entries = count ? r.Take(r.left()) : std::nullopt;
  const auto infes = entries ? Boxes(*entries) : std::nullopt;
  if (!infes || infes->size() != *count) return false;
  for (const Box& infe : *infes) {
    const auto entry = FullBox(infe);
    if (infe.type != "infe" || !entry) return false;
    if (entry->first < 2) continue;  // before version 2 an entry has no item type
    Reader e(entry->second);
    const auto id = e.Read(entry->first == 2 ? 2 : 4);
    const auto protection = e.Read(2);
    const auto type = e.FourCc();
    if (!id || !protection || !type) return false;
    // Two entries for one item would leave it to libheif which one counts.
    if (!items.type.emplace(static_cast<uint32_t>(*id), *type).second) return false;
  }
  return true;
}

// 'iref': boxes of one reference type each, every one exactly "from, count, that many ids".
bool ReadReferences(const Box& iref, Items& items) {
  const auto full = FullBox(iref);
  const auto refs = full ? Boxes(full->second) : std::nullopt;
  if (!refs) return false;
  const size_t id_bytes = full->first == 0 ? 2 : 4;
  for (const Box& ref : *refs) {
    Reader r(ref.payload);
    const auto from = r.Read(id_bytes);
    const auto count = r.Read(2);
    if (!from || !count) return false;
    for (uint64_t i = 0; i < *count; ++i) {
      const auto to = r.Read(id_bytes);
      if (!to) return false;
      if (ref.type == "dimg")
        items.derive.emplace_back(static_cast<uint32_t>(*from), static_cast<uint32_t>(*to));
    }
    if (!r.empty()) return false;
  }
  return true;
}

Status Malformed() {
  return Corrupt("HEIF file with derived images ('iden' or 'iovl') whose item boxes are malformed");
}

}  // namespace

Status CheckHeifDerivedImages(std::span<const uint8_t> bytes) {
  if (!Contains(bytes, "iden") && !Contains(bytes, "iovl")) return Status::Ok();
  const auto top = Boxes(bytes, /*up_to_misfit=*/true);
  // A second 'meta', 'iinf' or 'iref' would leave it to libheif which one counts: one of each.
  auto named = [](std::string_view type) { return [type](const Box& b) { return b.type == type; }; };
  if (std::count_if(top->begin(), top->end(), named("meta")) != 1) return Malformed();
  const auto meta_body = FullBox(*std::find_if(top->begin(), top->end(), named("meta")));
  const auto children = meta_body ? Boxes(meta_body->second) : std::nullopt;
  if (!children || std::count_if(children->begin(), children->end(), named("iinf")) > 1 ||
      std::count_if(children->begin(), children->end(), named("iref")) > 1)
    return Malformed();
  Items items;
  for (const Box& child : *children) {
    if (child.type == "iinf" && !ReadItemInfo(child, items)) return Malformed();
    if (child.type == "iref" && !ReadReferences(child, items)) return Malformed();
  }
  for (const auto& [from, to] : items.derive) {
    const auto derived = items.type.find(from);
    if (derived == items.type.end() || !IsDerivedImageType(derived->second)) continue;
    const auto used = items.type.find(to);
    const std::string derivation = "HEIF derived image " + std::to_string(from) + " ('" +
                                   std::string(derived->second) + "') is made from item " +
                                   std::to_string(to);
    if (used == items.type.end() || !(IsCodedImageType(used->second) || IsDerivedImageType(used->second)))
      return Corrupt(derivation + ", which is no image");
    // libheif 1.15 decodes a derived input (a grid's tile that is an overlay, say) without the
    // canvas limit the top-level image gets: the fuzzer made an 898-byte file allocate 3.5 GB.
    // Phones and cameras derive only from coded images.
    if (IsDerivedImageType(used->second))
      return Unsupported(derivation + ", itself a derived image ('" + std::string(used->second) +
                         "'): derived images of derived images are not supported");
  }
  return Status::Ok();
}

}  // namespace facetag::image_internal
