// Captions and tags in the catalog: stored per photo with the content and context they were made
// for, found again by words (FTS5), gone with their photo; EXIF facts tied to the content.
#include "catalog/catalog_fixture.h"

namespace facetag::testing {
namespace {

class Annotations : public CatalogTest {
 protected:
  PhotoAnnotation Make(int64_t photo, const std::string& caption, std::vector<std::string> tags) {
    PhotoAnnotation a;
    a.photo_id = photo;
    a.content_hash = catalog().GetPhoto(photo)->content_hash;
    a.context_hash = "ctx";
    a.caption = caption;
    a.tags = std::move(tags);
    a.model = "test-model";
    a.annotated_at = 1700000000;
    return a;
  }
  std::vector<std::string> Search(const std::string& words) {
    auto found = catalog().SearchPhotosByText(words);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    std::vector<std::string> paths;
    if (found.ok())
      for (const auto& p : *found) paths.push_back(p.path);
    std::sort(paths.begin(), paths.end());
    return paths;
  }
};

TEST_F(Annotations, StoredAndReadBack) {
  const int64_t a = AddPhoto("/lib/a.jpg", "a", {1});
  EXPECT_FALSE(catalog().GetAnnotation(a)->has_value());
  ASSERT_TRUE(
      catalog().SetAnnotation(Make(a, "Two friends on a beach", {"beach", "friends", "sunset"})).ok());
  auto got = catalog().GetAnnotation(a);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->caption, "Two friends on a beach");
  EXPECT_EQ((*got)->tags, (std::vector<std::string>{"beach", "friends", "sunset"}));
  EXPECT_EQ((*got)->model, "test-model");
  EXPECT_EQ((*got)->annotated_at, 1700000000);
  EXPECT_EQ((*got)->content_hash, catalog().GetPhoto(a)->content_hash);
  PhotoAnnotation orphan = Make(a, "nobody's", {});
  orphan.photo_id = 999;
  EXPECT_EQ(catalog().SetAnnotation(orphan).code(), ErrorCode::kNotFound);
}

TEST_F(Annotations, FoundByWordsOfCaptionOrTags) {
  const int64_t a = AddPhoto("/lib/a.jpg", "a", {1});
  const int64_t b = AddPhoto("/lib/b.jpg", "b", {2});
  const int64_t c = AddPhoto("/lib/c.jpg", "c", {3});
  ASSERT_TRUE(
      catalog().SetAnnotation(Make(a, "Two friends on a beach at sunset", {"beach", "friends"})).ok());
  ASSERT_TRUE(catalog().SetAnnotation(Make(b, "A birthday party in the kitchen", {"party", "cake"})).ok());
  ASSERT_TRUE(catalog().SetAnnotation(Make(c, "Café au lait on the beach", {"Coffee"})).ok());
  EXPECT_EQ(Search("beach"), (std::vector<std::string>{"/lib/a.jpg", "/lib/c.jpg"}));
  EXPECT_EQ(Search("BEACH friends"), (std::vector<std::string>{"/lib/a.jpg"}));  // every word
  EXPECT_EQ(Search("cake"), (std::vector<std::string>{"/lib/b.jpg"}));           // a tag
  EXPECT_EQ(Search("birth"), (std::vector<std::string>{"/lib/b.jpg"}));          // a prefix
  EXPECT_EQ(Search("cafe"), (std::vector<std::string>{"/lib/c.jpg"}));           // accents ignored
  EXPECT_EQ(Search("coffee"), (std::vector<std::string>{"/lib/c.jpg"}));
  EXPECT_TRUE(Search("volcano").empty());
  // FTS5 syntax in what users type is just words.
  EXPECT_EQ(Search("\"beach\" OR -party NEAR(x"), std::vector<std::string>{});
  EXPECT_EQ(Search("tags:coffee"), std::vector<std::string>{});  // "tags" is a word, not a column filter
  EXPECT_EQ(catalog().SearchPhotosByText("  ,, ").status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(Annotations, ANewAnnotationReplacesTheOldOneInSearchToo) {
  const int64_t a = AddPhoto("/lib/a.jpg", "a", {1});
  ASSERT_TRUE(catalog().SetAnnotation(Make(a, "A dog in the snow", {"dog"})).ok());
  ASSERT_TRUE(catalog().SetAnnotation(Make(a, "A cat on a sofa", {"cat"})).ok());
  EXPECT_TRUE(Search("dog").empty());
  EXPECT_EQ(Search("cat"), (std::vector<std::string>{"/lib/a.jpg"}));
}

TEST_F(Annotations, NotFoundOnceThePhotoChanged) {
  const int64_t a = AddPhoto("/lib/a.jpg", "a", {1});
  ASSERT_TRUE(catalog().SetAnnotation(Make(a, "A dog in the snow", {"dog"})).ok());
  // New content at the photo's path: the same photo, re-analysed; the caption was about the old
  // content, so search no longer finds it (annotate will describe it again).
  auto replaced = catalog().AddPhotoResult(MakePhoto("/lib/a.jpg", "other content"), {});
  ASSERT_TRUE(replaced.ok());
  ASSERT_EQ(replaced->photo_id, a);
  EXPECT_TRUE(Search("dog").empty());
  auto stale = catalog().GetAnnotation(a);
  ASSERT_TRUE(stale.ok() && stale->has_value());
  EXPECT_NE((*stale)->content_hash, catalog().GetPhoto(a)->content_hash);
}

TEST_F(Annotations, GoneWithTheirPhoto) {
  const int64_t a = AddPhoto("/lib/a.jpg", "a", {1});
  const int64_t b = AddPhoto("/lib/b.jpg", "b", {2});
  ASSERT_TRUE(catalog().SetAnnotation(Make(a, "A dog in the snow", {"dog"})).ok());
  // a.jpg now holds b's content: photo a is not anywhere any more and is forgotten.
  ASSERT_TRUE(catalog().RecordPath(b, "/lib/a.jpg", {1, 2000}).ok());
  ASSERT_EQ(catalog().GetPhoto(a).status().code(), ErrorCode::kNotFound);
  EXPECT_FALSE(catalog().GetAnnotation(a)->has_value());
  EXPECT_TRUE(Search("dog").empty());
}

TEST_F(Annotations, ExifFactsHoldForTheContentTheyWereReadFrom) {
  const int64_t a = AddPhoto("/lib/a.jpg", "a", {1});
  EXPECT_FALSE(catalog().GetPhotoExif(a)->has_value());
  PhotoExif exif;
  exif.taken = "2019-05-04T13:22:10";
  exif.has_location = true;
  exif.latitude = -33.8568;
  exif.longitude = 151.2153;
  ASSERT_TRUE(catalog().SetPhotoExif(a, catalog().GetPhoto(a)->content_hash, exif).ok());
  auto got = catalog().GetPhotoExif(a);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->taken, "2019-05-04T13:22:10");
  EXPECT_TRUE((*got)->has_location);
  EXPECT_DOUBLE_EQ((*got)->latitude, -33.8568);
  auto exported = catalog().Export();
  ASSERT_TRUE(exported.ok());
  EXPECT_EQ(exported->photos[0].taken, "2019-05-04T13:22:10");
  // Facts about other content (the photo changed since) are not this photo's facts.
  ASSERT_TRUE(catalog().SetPhotoExif(a, "0000", exif).ok());
  EXPECT_FALSE(catalog().GetPhotoExif(a)->has_value());
  EXPECT_EQ(catalog().Export()->photos[0].taken, "");
  // No date, no place: known to be unknown.
  ASSERT_TRUE(catalog().SetPhotoExif(a, catalog().GetPhoto(a)->content_hash, PhotoExif{}).ok());
  got = catalog().GetPhotoExif(a);
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->taken, "");
  EXPECT_FALSE((*got)->has_location);
}

}  // namespace
}  // namespace facetag::testing
