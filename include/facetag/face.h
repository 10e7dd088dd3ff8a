// What facetag finds in a photo: faces with a box, a detection score, 68 landmarks and an
// embedding (descriptor). Coordinates are pixels of the photo in its displayed orientation.
#pragma once

#include <array>
#include <vector>

namespace facetag {

struct Box {
  float x = 0, y = 0, width = 0, height = 0;
  float area() const { return width * height; }
};

struct Point {
  float x = 0, y = 0;
};

using Landmarks68 = std::array<Point, 68>;
using Embedding = std::vector<float>;  // 128-D for face-api's net; other models may differ

struct Face {
  Box box;
  float score = 0;
  Landmarks68 landmarks{};
  Embedding embedding;
};

// Intersection over union of two boxes (0 when either is empty).
float IntersectionOverUnion(const Box& a, const Box& b);
// Euclidean distance between two embeddings of the same size.
float EmbeddingDistance(const Embedding& a, const Embedding& b);

}  // namespace facetag
