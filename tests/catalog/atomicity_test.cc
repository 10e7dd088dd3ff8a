// Writes are all or nothing per photo, even when the process is killed mid-way.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "catalog/catalog_fixture.h"

namespace facetag::testing {
namespace {

using Atomicity = CatalogTest;

TEST_F(Atomicity, AFailedPhotoWriteLeavesNothingBehind) {
  AddPhoto("/lib/before.jpg", "before", {1});
  // The second face is invalid: the photo row and the first face were already written inside
  // the transaction when the error is found.
  std::vector<Face> faces = {MakeFace(MakeEmbedding(2)), MakeFace({})};
  auto out = catalog().AddPhotoResult(MakePhoto("/lib/half.jpg", "half"), faces);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), ErrorCode::kInvalidArgument);

  auto counts = catalog().GetCounts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->photos, 1);
  EXPECT_EQ(counts->faces, 1);
  EXPECT_FALSE(catalog().FindByHash(MakePhoto("", "half").content_hash)->has_value());
  EXPECT_FALSE(catalog().FindByPathAndStat("/lib/half.jpg", MakePhoto("", "half").stat)->has_value());
  // And the connection is still usable.
  EXPECT_NE(AddPhoto("/lib/after.jpg", "after", {3}), 0);
}

TEST_F(Atomicity, KillNineNeverLeavesAHalfWrittenPhoto) {
  constexpr int kFacesPerPhoto = 5;
  for (int round = 0; round < 3; ++round) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      // The child writes photos as fast as it can until it is killed.
      auto c = Catalog::Open(db_path());
      if (!c.ok()) _exit(2);
      for (int i = 0;; ++i) {
        std::vector<Face> faces;
        for (int k = 0; k < kFacesPerPhoto; ++k) faces.push_back(MakeFace(MakeEmbedding(k, i + 1)));
        const std::string content = "round " + std::to_string(round) + " photo " + std::to_string(i);
        if (!(*c)->AddPhotoResult(MakePhoto("/lib/" + content + ".jpg", content), faces).ok()) _exit(3);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(150 + 70 * round));
    ASSERT_EQ(kill(child, SIGKILL), 0);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child stopped by itself: " << WEXITSTATUS(status);
  }

  auto reopened = Catalog::Open(db_path());
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  auto exported = (*reopened)->Export();
  ASSERT_TRUE(exported.ok());
  EXPECT_GT(exported->photos.size(), 0u) << "the children wrote something before being killed";
  for (const auto& p : exported->photos) {
    EXPECT_EQ(p.faces.size(), static_cast<size_t>(kFacesPerPhoto)) << p.photo.path << " is half-written";
  }
}

}  // namespace
}  // namespace facetag::testing
