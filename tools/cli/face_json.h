// The JSON shapes the CLI prints.
#pragma once

#include <nlohmann/json.hpp>

#include "facetag/engine.h"

namespace facetag::cli {

// {"box":[x,y,w,h],"score","landmarks":[[x,y]...],"embedding":[...]}
nlohmann::json FaceToJson(const Face& face);
// {"file","width","height","faces":[...]} or {"file","error"}
nlohmann::json PhotoToJson(const PhotoFaces& photo);

}  // namespace facetag::cli
