// Registering, verifying and recognizing fall back to the accurate detector (the SSD) where the
// fast one finds nothing: a wide photo with one large, clear face (the case that answered 422
// no_face while the service searched with the tiny detector only).
#include <turbojpeg.h>

#include <opencv2/imgproc.hpp>

#include "service/service_fixture.h"

namespace facetag::testing {
namespace {

// `crop` scaled to 260 px in the middle of a grey 740x418 photo, as a JPEG.
std::string WidePhotoJpeg(const std::filesystem::path& crop) {
  auto decoded = DecodeImageFile(crop, {});
  EXPECT_TRUE(decoded.ok()) << crop;
  if (!decoded.ok()) return "";
  const Image& face = decoded->image;
  cv::Mat src(face.height, face.width, CV_8UC3, const_cast<uint8_t*>(face.rgb.data()));
  cv::Mat scaled;
  cv::resize(src, scaled, cv::Size(260, 260), 0, 0, cv::INTER_CUBIC);
  Image wide;
  wide.width = 740;
  wide.height = 418;
  wide.rgb.assign(740 * 418 * 3, 128);
  cv::Mat dst(418, 740, CV_8UC3, wide.rgb.data());
  scaled.copyTo(dst(cv::Rect(240, 79, 260, 260)));
  tjhandle tj = tjInitCompress();
  unsigned char* out = nullptr;
  unsigned long size = 0;
  const int failed =
      tjCompress2(tj, wide.rgb.data(), wide.width, 0, wide.height, TJPF_RGB, &out, &size, TJSAMP_444, 95, 0);
  std::string jpeg = failed ? "" : std::string(reinterpret_cast<const char*>(out), size);
  tjFree(out);
  tjDestroy(tj);
  return jpeg;
}

class AccurateDetection : public ServiceFixture {};

TEST_F(AccurateDetection, ALargeFaceInAWidePhotoIsRegisteredVerifiedAndRecognized) {
  ASSERT_TRUE(Start().ok());
  const std::string wide = WidePhotoJpeg(Bbt() / "amy" / "amy3.png");
  ASSERT_FALSE(wide.empty());

  auto created = PostJson("/api/v1/persons", {{"name", "Amy"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = std::to_string(Json(created)["id"].get<int64_t>());
  auto registered = PostImage("/api/v1/persons/" + id + "/faces", wide, "image/jpeg");
  ASSERT_EQ(registered.status, 201) << registered.body;
  ASSERT_EQ(Json(registered)["faces"].size(), 1u);

  const std::string boundary = "facetagTestBoundary";
  const std::vector<std::pair<std::string, std::string>> parts = {
      {"a", wide}, {"b", ReadBytes(Bbt() / "amy" / "amy1.png")}};
  auto verified = HttpFetch(port_, "POST", "/api/v1/verify", Multipart(parts, boundary),
                            "multipart/form-data; boundary=" + boundary);
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_TRUE(Json(verified)["same_person"].get<bool>()) << verified.body;

  auto recognized = PostImage("/api/v1/recognize", wide, "image/jpeg");
  ASSERT_EQ(recognized.status, 200) << recognized.body;
  const auto faces = Json(recognized)["faces"];
  ASSERT_EQ(faces.size(), 1u) << recognized.body;
  ASSERT_FALSE(faces[0]["person"].is_null()) << recognized.body;
  EXPECT_EQ(faces[0]["person"]["name"], "Amy");
}

}  // namespace
}  // namespace facetag::testing
