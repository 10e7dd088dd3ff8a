// What the prompt tells the model: names left to right (or only how many), date, place.
#include "annotate/photo_prompt.h"

#include <gtest/gtest.h>

namespace facetag::annotate_internal {
namespace {

TEST(PhotoPrompt, NamesDatePlace) {
  PhotoFacts f;
  f.names = {"Amy", "Bob", "Cat"};
  f.unnamed_faces = 2;
  f.exif.taken = "2019-05-04T13:22:10";
  f.exif.has_location = true;
  f.exif.latitude = -33.85681;
  f.exif.longitude = 151.21532;
  EXPECT_EQ(PromptText(f, true, true),
            "Describe this photo.\n"
            "People in it, left to right: Amy, Bob and Cat.\n"
            "Other people in it: 2.\n"
            "Taken: 2019-05-04 13:22 (camera time).\n"
            "Place: GPS 33.85681 S, 151.21532 E.\n");
}

TEST(PhotoPrompt, WithoutNamesOnlyHowMany) {
  PhotoFacts f;
  f.names = {"Amy"};
  f.unnamed_faces = 1;
  const std::string text = PromptText(f, false, false);
  EXPECT_EQ(text,
            "Describe a photo you cannot see, from these facts only; invent nothing.\nPeople in it: 2.\n");
  EXPECT_EQ(text.find("Amy"), std::string::npos);
}

TEST(PhotoPrompt, NobodyAndNothingKnown) {
  EXPECT_EQ(PromptText({}, true, true), "Describe this photo.\nNo faces were found in it.\n");
  EXPECT_NE(SystemPrompt().find("\"caption\""), std::string::npos);
}

}  // namespace
}  // namespace facetag::annotate_internal
