// What the prompt says about one photo: the facts the catalog has, as text for the model, and
// the hash that tells whether an annotation was made from the same facts.
#pragma once

#include <string>
#include <vector>

#include "facetag/image.h"

namespace facetag::annotate_internal {

struct PhotoFacts {
  std::vector<std::string> names;  // named people, left to right
  int unnamed_faces = 0;           // faces of nobody or of unnamed people
  PhotoExif exif;
};

// The user message's text. With `send_names` false, named people are counted, not named.
std::string PromptText(const PhotoFacts& facts, bool send_names, bool vision);

// The system message: what to answer and in which shape.
const std::string& SystemPrompt();

}  // namespace facetag::annotate_internal
