// The messages of the head's own index: an analysis answer carries the photo's facts as the
// catalog takes them, bit-exact faces, the EXIF facts, or the reason a worker could not do it.
#include "cluster/protocol.h"

#include <gtest/gtest.h>

namespace facetag::cluster {
namespace {

TEST(ClusterProtocol, AnAnswerKeepsFacesToTheBitAndTheExifFacts) {
  JobResult r;
  r.job_id = "abc";
  r.worker = "worker-on-host-one";
  r.photo.path = "/photos/a.jpg";
  r.photo.content_hash = "abc";
  r.photo.width = 640;
  r.photo.height = 480;
  Face f;
  f.box = {1.5f, 2.25f, 30.125f, 40.0625f};
  f.score = 0.987654321f;
  f.landmarks[3] = {12.345678f, 0.1f};
  f.embedding = {0.1f, -0.2f, 1e-30f, 0.333333343f};
  r.faces = {f};
  r.exif.taken = "2024-05-01T12:30:00";
  r.exif.has_location = true;
  r.exif.latitude = 48.858370123;
  r.exif.longitude = -2.294481456;

  auto back = DecodeResult(EncodeResult(r));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(back->problem.empty());
  EXPECT_EQ(back->photo.processed_by, "worker-on-host-one");
  EXPECT_EQ(back->photo.width, 640);
  EXPECT_EQ(back->photo.status, PhotoStatus::kOk);
  ASSERT_EQ(back->faces.size(), 1u);
  EXPECT_EQ(back->faces[0].embedding, f.embedding);
  EXPECT_EQ(back->faces[0].landmarks[3].x, f.landmarks[3].x);
  EXPECT_EQ(back->exif.taken, "2024-05-01T12:30:00");
  EXPECT_TRUE(back->exif.has_location);
  EXPECT_EQ(back->exif.latitude, r.exif.latitude);
  EXPECT_EQ(back->exif.longitude, r.exif.longitude);
}

TEST(ClusterProtocol, APhotosFailureReadsBackAsTheSameText) {
  JobResult r;
  r.job_id = "abc";
  r.worker = "worker-on-host-one";
  r.photo.path = "/photos/broken.jpg";
  r.photo.status = PhotoStatus::kFailed;
  r.photo.error = Corrupt("truncated JPEG data").ToString();
  auto back = DecodeResult(EncodeResult(r));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->photo.status, PhotoStatus::kFailed);
  const Status status = StatusFromText(back->photo.error);
  EXPECT_EQ(status.code(), ErrorCode::kCorrupt);
  EXPECT_EQ(status.ToString(), "corrupt: truncated JPEG data");
  EXPECT_EQ(StatusFromText("too large: 9 bytes").code(), ErrorCode::kTooLarge);
  // Text from no Status of ours stays whole.
  EXPECT_EQ(StatusFromText("something else").message(), "something else");
}

TEST(ClusterProtocol, AWorkersProblemIsNoResult) {
  JobResult r;
  r.job_id = "abc";
  r.worker = "worker-on-host-two";
  r.problem = "cannot read the photo on worker worker-on-host-two: not found: no such file";
  auto back = DecodeResult(EncodeResult(r));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->problem, r.problem);
  EXPECT_EQ(back->worker, "worker-on-host-two");
  EXPECT_TRUE(back->faces.empty());
}

}  // namespace
}  // namespace facetag::cluster
