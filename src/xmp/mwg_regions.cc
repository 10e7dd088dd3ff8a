// MWG face regions in XMP through Exiv2: reading them from a sidecar or a photo, merging ours
// into a sidecar.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <exiv2/exiv2.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <system_error>

#include "common/random_hex.h"
#include "facetag/xmp.h"

namespace facetag {
namespace {

namespace fs = std::filesystem;

constexpr const char* kRegions = "Xmp.mwg-rs.Regions";
constexpr const char* kRegionList = "Xmp.mwg-rs.Regions/mwg-rs:RegionList";
constexpr const char* kDimensions = "Xmp.mwg-rs.Regions/mwg-rs:AppliedToDimensions";

// Exiv2's XMP toolkit keeps global state (its namespace registry) and is not safe to use from
// several threads at once; the indexer's workers read regions in parallel. A region read is
// microseconds next to a decode, so one lock for every use costs nothing measurable.
std::mutex& ExivMutex() {
  static std::mutex mu;
  return mu;
}

void InitExiv2Once() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Exiv2 logs warnings about odd files to stderr, file names and all: facetag reports its
    // own errors.
    Exiv2::LogMsg::setLevel(Exiv2::LogMsg::mute);
    Exiv2::XmpParser::initialize();
  });
}

std::string FormatNumber(double v) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 6);
  return ec == std::errc() ? std::string(buf, end) : "0";
}

bool ParseNumber(const std::string& text, double* v) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *v);
  return ec == std::errc() && end == text.data() + text.size();
}

// One region of a RegionList as stored: its fields by path below the item ("" is the item
// itself, "/mwg-rs:Name", "/mwg-rs:Area/stArea:x", ...), values kept whole (struct and array
// markers included) so that a region we keep is written back exactly.
struct StoredRegion {
  std::vector<std::pair<std::string, std::unique_ptr<Exiv2::Value>>> fields;

  std::string Field(const std::string& path) const {
    for (const auto& [p, v] : fields) {
      if (p == path) return v->toString();
    }
    return {};
  }
};

std::map<long, StoredRegion> StoredRegions(const Exiv2::XmpData& xmp) {
  std::map<long, StoredRegion> out;
  const std::string prefix = std::string(kRegionList) + "[";
  for (auto it = xmp.begin(); it != xmp.end(); ++it) {
    const std::string key = it->key();
    if (key.compare(0, prefix.size(), prefix) != 0) continue;
    const size_t close = key.find(']', prefix.size());
    if (close == std::string::npos) continue;
    long index = 0;
    const auto [end, ec] = std::from_chars(key.data() + prefix.size(), key.data() + close, index);
    if (ec != std::errc() || end != key.data() + close) continue;
    out[index].fields.emplace_back(key.substr(close + 1), it->value().clone());
  }
  return out;
}

// A face region with a normalised area, in pixels of a width x height photo (its name may be
// empty).
std::optional<NamedRegion> AsFace(const StoredRegion& r, int width, int height) {
  if (r.Field("/mwg-rs:Type") != "Face") return std::nullopt;
  const std::string unit = r.Field("/mwg-rs:Area/stArea:unit");
  if (!unit.empty() && unit != "normalized") return std::nullopt;
  double x = 0, y = 0, w = 0, h = 0;
  if (!ParseNumber(r.Field("/mwg-rs:Area/stArea:x"), &x) ||
      !ParseNumber(r.Field("/mwg-rs:Area/stArea:y"), &y) ||
      !ParseNumber(r.Field("/mwg-rs:Area/stArea:w"), &w) ||
      !ParseNumber(r.Field("/mwg-rs:Area/stArea:h"), &h)) {
    return std::nullopt;
  }
  if (w <= 0 || h <= 0 || w > 1 || h > 1) return std::nullopt;
  NamedRegion out;
  out.name = r.Field("/mwg-rs:Name");
  out.box.x = static_cast<float>((x - w / 2) * width);
  out.box.y = static_cast<float>((y - h / 2) * height);
  out.box.width = static_cast<float>(w * width);
  out.box.height = static_cast<float>(h * height);
  return out;
}

std::vector<NamedRegion> NamedFaces(const Exiv2::XmpData& xmp, int width, int height) {
  std::vector<NamedRegion> out;
  for (const auto& [index, region] : StoredRegions(xmp)) {
    auto face = AsFace(region, width, height);
    if (face && !face->name.empty()) out.push_back(std::move(*face));
  }
  return out;
}

// The photo's XMP as Exiv2 reads it (a sidecar is a file of type xmp).
Exiv2::XmpData ReadXmp(const fs::path& file) {
  auto image = Exiv2::ImageFactory::open(file.string(), /*useCurl=*/false);
  image->readMetadata();
  return image->xmpData();
}

void EraseWithPrefix(Exiv2::XmpData& xmp, const std::string& prefix) {
  for (auto it = xmp.begin(); it != xmp.end();) {
    if (it->key().compare(0, prefix.size(), prefix) == 0) {
      it = xmp.erase(it);
    } else {
      ++it;
    }
  }
}

void AddStruct(Exiv2::XmpData& xmp, const std::string& key) {
  Exiv2::XmpTextValue v;
  v.setXmpStruct();
  xmp.add(Exiv2::XmpKey(key), &v);
}

void AddText(Exiv2::XmpData& xmp, const std::string& key, const std::string& text) {
  Exiv2::XmpTextValue v(text);
  xmp.add(Exiv2::XmpKey(key), &v);
}

// Adds `values` missing from the array `key` (of type `type`); returns how many were added.
int MergeIntoArray(Exiv2::XmpData& xmp, const std::string& key, Exiv2::TypeId type,
                   const std::vector<std::string>& values) {
  std::vector<std::string> current;
  auto it = xmp.findKey(Exiv2::XmpKey(key));
  if (it != xmp.end()) {
    for (long i = 0; i < it->value().count(); ++i) current.push_back(it->value().toString(i));
  }
  int added = 0;
  for (const auto& v : values) {
    if (std::find(current.begin(), current.end(), v) == current.end()) {
      current.push_back(v);
      ++added;
    }
  }
  if (added == 0) return 0;
  Exiv2::XmpArrayValue array(type);
  for (const auto& v : current) array.read(v);
  if (it != xmp.end()) xmp.erase(it);
  xmp.add(Exiv2::XmpKey(key), &array);
  return added;
}

Status SyncAndRename(const fs::path& from, const fs::path& to) {
  const int fd = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError("cannot reopen " + from.string());
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return IoError("cannot flush " + from.string());
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) return IoError("cannot write " + to.string() + ": " + ec.message());
  return Status::Ok();
}

Result<SidecarOutcome> UpdateLocked(const fs::path& photo, const SidecarUpdate& update) {
  SidecarOutcome outcome;
  outcome.sidecar = SidecarPath(photo);
  std::error_code ec;
  outcome.created = !fs::exists(outcome.sidecar, ec);
  Exiv2::XmpData xmp;
  if (!outcome.created) {
    try {
      xmp = ReadXmp(outcome.sidecar);
    } catch (const std::exception& e) {
      // Not ours to repair: a sidecar we cannot read is left exactly as it is.
      return Corrupt(outcome.sidecar.string() + " is not readable XMP (left as it is): " + e.what());
    }
  }

  // Regions of the sidecar that stay: anything that is not one of our faces again.
  std::set<std::string> names;
  for (const auto& r : update.regions) names.insert(r.name);
  std::vector<StoredRegion> kept;
  for (auto& [index, region] : StoredRegions(xmp)) {
    bool replaced = false;
    if (const auto face = AsFace(region, update.width, update.height)) {
      if (names.count(face->name)) replaced = true;  // that person's region, wherever it was
      for (const auto& r : update.regions) {
        if (BoxOverlap(face->box, r.box) >= kRegionMatchOverlap) replaced = true;  // that face's
      }
    }
    if (!replaced) kept.push_back(std::move(region));
  }
  outcome.kept_regions = static_cast<int>(kept.size());

  EraseWithPrefix(xmp, kRegions);
  AddStruct(xmp, kRegions);
  AddStruct(xmp, kDimensions);
  AddText(xmp, std::string(kDimensions) + "/stDim:w", std::to_string(update.width));
  AddText(xmp, std::string(kDimensions) + "/stDim:h", std::to_string(update.height));
  AddText(xmp, std::string(kDimensions) + "/stDim:unit", "pixel");
  {
    Exiv2::XmpTextValue bag;
    bag.setXmpArrayType(Exiv2::XmpValue::xaBag);
    xmp.add(Exiv2::XmpKey(kRegionList), &bag);
  }
  long index = 0;
  for (const StoredRegion& r : kept) {
    const std::string item = std::string(kRegionList) + "[" + std::to_string(++index) + "]";
    for (const auto& [path, value] : r.fields) xmp.add(Exiv2::XmpKey(item + path), value.get());
  }
  std::vector<std::string> keywords, tags;
  for (const NamedRegion& r : update.regions) {
    const std::string item = std::string(kRegionList) + "[" + std::to_string(++index) + "]";
    AddStruct(xmp, item);
    AddText(xmp, item + "/mwg-rs:Name", r.name);
    AddText(xmp, item + "/mwg-rs:Type", "Face");
    AddStruct(xmp, item + "/mwg-rs:Area");
    const double w = update.width, h = update.height;
    AddText(xmp, item + "/mwg-rs:Area/stArea:x",
            FormatNumber(std::clamp((r.box.x + r.box.width / 2) / w, 0.0, 1.0)));
    AddText(xmp, item + "/mwg-rs:Area/stArea:y",
            FormatNumber(std::clamp((r.box.y + r.box.height / 2) / h, 0.0, 1.0)));
    AddText(xmp, item + "/mwg-rs:Area/stArea:w", FormatNumber(std::clamp(r.box.width / w, 0.0, 1.0)));
    AddText(xmp, item + "/mwg-rs:Area/stArea:h", FormatNumber(std::clamp(r.box.height / h, 0.0, 1.0)));
    AddText(xmp, item + "/mwg-rs:Area/stArea:unit", "normalized");
    keywords.push_back(r.name);
    tags.push_back("People/" + r.name);
  }
  outcome.added_keywords = MergeIntoArray(xmp, "Xmp.dc.subject", Exiv2::xmpBag, keywords);
  if (update.digikam_tags) MergeIntoArray(xmp, "Xmp.digiKam.TagsList", Exiv2::xmpSeq, tags);

  // Beside the sidecar (same file system, so the rename is atomic); hidden, so that a scan of
  // the folder meanwhile passes it by.
  std::string temp_name = ".";
  temp_name += outcome.sidecar.filename().string();
  temp_name += ".tmp-";
  temp_name += RandomHex(6);
  temp_name += ".xmp";
  const fs::path temp = outcome.sidecar.parent_path() / temp_name;
  try {
    auto out = Exiv2::ImageFactory::create(Exiv2::ImageType::xmp, temp.string());
    out->setXmpData(xmp);
    out->writeMetadata();
  } catch (const std::exception& e) {
    fs::remove(temp, ec);
    return IoError("cannot write " + outcome.sidecar.string() + ": " + e.what());
  }
  if (!outcome.created) {
    // The sidecar keeps its permissions (a private one stays private).
    fs::permissions(temp, fs::status(outcome.sidecar, ec).permissions(), ec);
  }
  Status s = SyncAndRename(temp, outcome.sidecar);
  if (!s.ok()) {
    fs::remove(temp, ec);
    return s;
  }
  return outcome;
}

}  // namespace

fs::path SidecarPath(const fs::path& photo) {
  fs::path with_extension = photo;
  with_extension += ".xmp";
  fs::path replaced = photo;
  replaced.replace_extension(".xmp");
  std::error_code ec;
  if (!fs::exists(with_extension, ec) && fs::exists(replaced, ec)) return replaced;
  return with_extension;
}

Result<std::vector<NamedRegion>> ReadNamedRegions(const fs::path& photo, int width, int height) {
  if (width <= 0 || height <= 0) return std::vector<NamedRegion>{};
  std::lock_guard lock(ExivMutex());
  InitExiv2Once();
  const fs::path sidecar = SidecarPath(photo);
  std::error_code ec;
  if (fs::exists(sidecar, ec)) {
    try {
      auto regions = NamedFaces(ReadXmp(sidecar), width, height);
      if (!regions.empty()) return regions;
    } catch (const std::exception& e) {
      return Corrupt(sidecar.string() + " is not readable XMP: " + e.what());
    }
  }
  try {
    return NamedFaces(ReadXmp(photo), width, height);
  } catch (const std::exception&) {
    return std::vector<NamedRegion>{};  // a type Exiv2 does not read, or no metadata to speak of
  }
}

Result<SidecarOutcome> UpdateSidecar(const fs::path& photo, const SidecarUpdate& update) {
  if (update.width <= 0 || update.height <= 0)
    return InvalidArgument("the photo's size is unknown: index it again");
  std::lock_guard lock(ExivMutex());
  InitExiv2Once();
  try {
    return UpdateLocked(photo, update);
  } catch (const std::exception& e) {
    return Internal("XMP: " + std::string(e.what()));
  }
}

float BoxOverlap(const Box& a, const Box& b) {
  const float x0 = std::max(a.x, b.x), y0 = std::max(a.y, b.y);
  const float x1 = std::min(a.x + a.width, b.x + b.width), y1 = std::min(a.y + a.height, b.y + b.height);
  if (x1 <= x0 || y1 <= y0) return 0;
  const float inter = (x1 - x0) * (y1 - y0);
  const float uni = a.area() + b.area() - inter;
  return uni > 0 ? inter / uni : 0;
}

}  // namespace facetag
