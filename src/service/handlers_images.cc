// Pixels for the web UI: a photo scaled to a long side, and square face thumbnails (kept in a
// bounded in-memory cache: the people page asks for the same ones again and again).
#include <turbojpeg.h>

#include <opencv2/imgproc.hpp>

#include "library/file_content.h"
#include "service/context.h"
#include "service/request_params.h"
#include "storage/object_url.h"

namespace facetag::service {
namespace {

// These decodes run on the blocking pool the catalog work shares: waiting long for the decode
// budget there would stall catalog answers, so they give up (503) sooner than recognitions.
constexpr int kImageDecodeWaitMs = 3000;

Result<std::string> EncodeJpeg(const Image& image, int quality = 85) {
  tjhandle tj = tjInitCompress();
  if (!tj) return Internal("cannot start the JPEG encoder");
  unsigned char* out = nullptr;
  unsigned long size = 0;
  const int rc = tjCompress2(tj, image.rgb.data(), image.width, image.width * 3, image.height, TJPF_RGB, &out,
                             &size, TJSAMP_420, quality, TJFLAG_FASTDCT);
  std::string bytes;
  if (rc == 0) bytes.assign(reinterpret_cast<const char*>(out), size);
  tjFree(out);
  tjDestroy(tj);
  if (rc != 0) return Internal("cannot encode JPEG");
  return bytes;
}

// The `rect` part of `image` scaled to width x height (area averaging when shrinking).
Image Resize(const Image& image, cv::Rect rect, int width, int height) {
  cv::Mat src(image.height, image.width, CV_8UC3, const_cast<uint8_t*>(image.rgb.data()));
  Image out;
  out.width = width;
  out.height = height;
  out.rgb.resize(static_cast<size_t>(width) * height * 3);
  cv::Mat dst(height, width, CV_8UC3, out.rgb.data());
  cv::resize(src(rect), dst, dst.size(), 0, 0, cv::INTER_AREA);
  return out;
}

// A catalogued photo's pixels, from its file or, for s3://BUCKET/KEY, fetched from the store.
Result<DecodedImage> DecodePhoto(const std::string& path, const DecodeOptions& options) {
  if (!storage::IsObjectUrl(path)) return DecodeImageFile(path, options);
  const library::FileContent content = library::ReadFileContent(path, options.max_file_bytes);
  FACETAG_RETURN_IF_ERROR(content.status);
  return DecodeImage(content.bytes, options);
}

HttpResponse Jpeg(std::string bytes) {
  HttpResponse r;
  r.content_type = "image/jpeg";
  r.body = std::move(bytes);
  r.headers.emplace_back("Cache-Control", "private, max-age=300");
  return r;
}

int IntQuery(const HttpRequest& req, const std::string& name, int fallback, int lo, int hi) {
  try {
    return std::clamp(std::stoi(req.Query(name, std::to_string(fallback))), lo, hi);
  } catch (const std::exception&) {
    return fallback;
  }
}

}  // namespace

DecodeOptions WithDecodeBudget(Context& ctx, DecodeOptions decode, std::optional<PixelBudget::Lease>* lease,
                               std::chrono::steady_clock::time_point deadline) {
  if (!ctx.decode_budget) return decode;
  decode.reserve_pixels = [budget = ctx.decode_budget.get(), lease, deadline](uint64_t pixels) -> Status {
    auto got = budget->Acquire(pixels, deadline);
    if (!got) return IoError("the server is decoding too many pixels at once; retry later");
    lease->emplace(std::move(*got));
    return Status::Ok();
  };
  return decode;
}

void AddImageRoutes(Context& ctx, Router& router) {
  ThumbnailCache* cache = &ctx.thumbnails;
  router.Add("GET", "/api/v1/photos/{id}/image", [&ctx](HttpRequest& req, Respond respond) {
    const auto id = IdParam(req);
    if (!id) return respond(ErrorResponse(404, "not_found", "no such photo"));
    const int max_side = IntQuery(req, "max", 1600, 16, 8192);
    boost::asio::post(ctx.blocking, [&ctx, id, max_side, respond] {
      std::string path;
      {
        std::lock_guard lock(ctx.catalog_mu);
        auto photo = ctx.catalog->GetPhoto(*id);
        if (!photo.ok()) return respond(StatusResponse(photo.status()));
        path = photo->path;
      }
      DecodeOptions decode = ctx.options.pipeline.decode;
      decode.min_long_side = max_side;
      std::optional<PixelBudget::Lease> lease;
      auto decoded = DecodePhoto(path, WithDecodeBudget(ctx, decode, &lease,
                                                        std::chrono::steady_clock::now() +
                                                            std::chrono::milliseconds(kImageDecodeWaitMs)));
      if (!decoded.ok()) return respond(ErrorResponse(404, "not_found", "the photo's file cannot be read"));
      const Image& img = decoded->image;
      const double s = std::min(1.0, static_cast<double>(max_side) / std::max(img.width, img.height));
      const int w = std::max(1, static_cast<int>(img.width * s)),
                h = std::max(1, static_cast<int>(img.height * s));
      auto jpeg = EncodeJpeg(s < 1.0 ? Resize(img, cv::Rect(0, 0, img.width, img.height), w, h) : img);
      respond(jpeg.ok() ? Jpeg(std::move(*jpeg)) : StatusResponse(jpeg.status()));
    });
  });
  router.Add("GET", "/api/v1/faces/{id}/thumbnail", [&ctx, cache](HttpRequest& req, Respond respond) {
    const auto id = IdParam(req);
    if (!id) return respond(ErrorResponse(404, "not_found", "no such face"));
    const int size = IntQuery(req, "size", 160, 16, 512);
    const std::string key = std::to_string(*id) + "/" + std::to_string(size);
    if (auto hit = cache->Get(key)) return respond(Jpeg(std::move(*hit)));
    boost::asio::post(ctx.blocking, [&ctx, cache, key, id, size, respond] {
      std::string path;
      Box box;
      {
        std::lock_guard lock(ctx.catalog_mu);
        auto face = ctx.catalog->GetFace(*id);
        if (!face.ok()) return respond(StatusResponse(face.status()));
        auto photo = ctx.catalog->GetPhoto(face->photo_id);
        if (!photo.ok()) return respond(StatusResponse(photo.status()));
        path = photo->path;
        box = face->face.box;
      }
      std::optional<PixelBudget::Lease> lease;
      auto decoded = DecodePhoto(path, WithDecodeBudget(ctx, ctx.options.pipeline.decode, &lease,
                                                        std::chrono::steady_clock::now() +
                                                            std::chrono::milliseconds(kImageDecodeWaitMs)));
      if (!decoded.ok()) return respond(ErrorResponse(404, "not_found", "the photo's file cannot be read"));
      const Image& img = decoded->image;
      const double s = decoded->scale;
      // A square 1.4 times the face's longer side, centred on it, inside the photo.
      const double side =
          std::min<double>(std::max(box.width, box.height) * 1.4 * s, std::min(img.width, img.height));
      const double cx = (box.x + box.width / 2) * s, cy = (box.y + box.height / 2) * s;
      const int n = std::max(1, static_cast<int>(side));
      const int x = std::clamp(static_cast<int>(cx - side / 2), 0, img.width - n);
      const int y = std::clamp(static_cast<int>(cy - side / 2), 0, img.height - n);
      auto jpeg = EncodeJpeg(Resize(img, cv::Rect(x, y, n, n), size, size));
      if (!jpeg.ok()) return respond(StatusResponse(jpeg.status()));
      {
        // Cached only if the face still exists: a person deleted while this was decoding must
        // not leave its thumbnail behind in the cache.
        std::lock_guard lock(ctx.catalog_mu);
        if (ctx.catalog->GetFace(*id).ok()) cache->Put(key, *jpeg);
      }
      respond(Jpeg(std::move(*jpeg)));
    });
  });
}

}  // namespace facetag::service
