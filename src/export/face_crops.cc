#include "facetag/face_crops.h"

#include <turbojpeg.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "facetag/image.h"
#include "library/file_content.h"
#include "storage/object_url.h"
#include "storage/s3_client.h"

namespace facetag {
namespace {

namespace fs = std::filesystem;

Result<std::vector<uint8_t>> EncodeJpeg(const Image& image, int x, int y, int width, int height,
                                        int quality) {
  tjhandle tj = tjInitCompress();
  if (!tj) return Internal("cannot start the JPEG encoder");
  unsigned char* out = nullptr;
  unsigned long size = 0;
  const int rc = tjCompress2(tj, image.row(y) + static_cast<size_t>(x) * 3, width, image.width * 3, height,
                             TJPF_RGB, &out, &size, TJSAMP_420, quality, 0);
  std::vector<uint8_t> bytes;
  if (rc == 0) bytes.assign(out, out + size);
  tjFree(out);
  tjDestroy(tj);
  if (rc != 0) return Internal("cannot encode JPEG");
  return bytes;
}

// Where crops go: a folder (created) or an object store prefix.
class CropSink {
 public:
  static Result<CropSink> Open(const std::string& destination) {
    CropSink sink;
    if (storage::IsObjectUrl(destination)) {
      auto url = storage::ParseObjectUrl(destination);
      FACETAG_RETURN_IF_ERROR(url.status());
      auto client = storage::S3Client::FromEnvironment();
      FACETAG_RETURN_IF_ERROR(client.status());
      sink.url_ = *url;
      while (!sink.url_.key.empty() && sink.url_.key.back() == '/') sink.url_.key.pop_back();
      sink.client_ = std::make_unique<storage::S3Client>(std::move(*client));
      return sink;
    }
    std::error_code ec;
    fs::create_directories(destination, ec);
    if (ec) return IoError("cannot create folder " + destination + ": " + ec.message());
    sink.folder_ = destination;
    return sink;
  }

  Status Write(const std::string& name, const std::vector<uint8_t>& jpeg) const {
    if (client_) {
      return client_->Put(url_.bucket, url_.key.empty() ? name : url_.key + "/" + name, jpeg, "image/jpeg");
    }
    const fs::path target = folder_ / name;
    const fs::path tmp = target.string() + ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out.write(reinterpret_cast<const char*>(jpeg.data()), static_cast<std::streamsize>(jpeg.size()));
      if (!out.flush()) return IoError("cannot write " + tmp.string());
    }
    std::error_code ec;
    fs::rename(tmp, target, ec);
    if (ec) return IoError("cannot write " + target.string() + ": " + ec.message());
    return Status::Ok();
  }

 private:
  fs::path folder_;
  storage::ObjectUrl url_;
  std::unique_ptr<storage::S3Client> client_;
};

}  // namespace

Result<FaceCropsReport> WriteFaceCrops(Catalog& catalog, const std::string& destination,
                                       const FaceCropOptions& options) {
  auto sink = CropSink::Open(destination);
  FACETAG_RETURN_IF_ERROR(sink.status());
  auto exported = catalog.Export();
  FACETAG_RETURN_IF_ERROR(exported.status());
  FaceCropsReport report;
  DecodeOptions decode;
  for (const ExportPhoto& photo : exported->photos) {
    if (photo.faces.empty() || photo.photo.status != PhotoStatus::kOk) continue;
    const library::FileContent content = library::ReadFileContent(photo.photo.path, decode.max_file_bytes);
    if (!content.status.ok()) {
      report.failures.push_back({photo.photo.path, content.status.ToString()});
      continue;
    }
    // Boxes are in full-resolution pixels of the displayed photo: decode at full resolution.
    auto decoded = DecodeImage(content.bytes, decode);
    if (!decoded.ok()) {
      report.failures.push_back({photo.photo.path, decoded.status().ToString()});
      continue;
    }
    ++report.photos;
    const Image& image = decoded->image;
    for (const ExportFace& face : photo.faces) {
      const double mx = face.box.width * options.margin, my = face.box.height * options.margin;
      const int x0 = std::clamp(static_cast<int>(std::floor(face.box.x - mx)), 0, image.width - 1);
      const int y0 = std::clamp(static_cast<int>(std::floor(face.box.y - my)), 0, image.height - 1);
      const int x1 =
          std::clamp(static_cast<int>(std::ceil(face.box.x + face.box.width + mx)), x0 + 1, image.width);
      const int y1 =
          std::clamp(static_cast<int>(std::ceil(face.box.y + face.box.height + my)), y0 + 1, image.height);
      auto jpeg = EncodeJpeg(image, x0, y0, x1 - x0, y1 - y0, options.jpeg_quality);
      FACETAG_RETURN_IF_ERROR(jpeg.status());
      FACETAG_RETURN_IF_ERROR(sink->Write(std::to_string(face.id) + ".jpg", *jpeg));
      ++report.crops;
    }
  }
  return report;
}

}  // namespace facetag
