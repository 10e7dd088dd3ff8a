#include "annotate/photo_prompt.h"

#include <cmath>
#include <cstdio>

namespace facetag::annotate_internal {
namespace {

std::string Place(const PhotoExif& e) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "GPS %.5f %s, %.5f %s", std::fabs(e.latitude), e.latitude < 0 ? "S" : "N",
                std::fabs(e.longitude), e.longitude < 0 ? "W" : "E");
  return buf;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

}  // namespace

const std::string& SystemPrompt() {
  static const std::string kPrompt =
      "You describe photos for a private photo library. Answer with one JSON object and nothing else: "
      "{\"caption\": \"one sentence of at most 25 words\", \"tags\": [\"3 to 8 short lower-case tags\"]}. "
      "Use people's names exactly as given and never guess who someone is.";
  return kPrompt;
}

std::string PromptText(const PhotoFacts& facts, bool send_names, bool vision) {
  std::string text = vision ? "Describe this photo.\n"
                            : "Describe a photo you cannot see, from these facts only; invent nothing.\n";
  const int named = static_cast<int>(facts.names.size());
  if (named > 0 && send_names) {
    text += "People in it, left to right: " + JoinNames(facts.names) + ".\n";
    if (facts.unnamed_faces > 0) text += "Other people in it: " + std::to_string(facts.unnamed_faces) + ".\n";
  } else if (named + facts.unnamed_faces > 0) {
    text += "People in it: " + std::to_string(named + facts.unnamed_faces) + ".\n";
  } else {
    text += "No faces were found in it.\n";
  }
  if (!facts.exif.taken.empty()) {
    // "2019-05-04T13:22:10" -> "2019-05-04 13:22"
    text += "Taken: " + facts.exif.taken.substr(0, 10) + " " + facts.exif.taken.substr(11, 5) +
            " (camera time).\n";
  }
  if (facts.exif.has_location) text += "Place: " + Place(facts.exif) + ".\n";
  return text;
}

}  // namespace facetag::annotate_internal
