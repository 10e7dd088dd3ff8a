// face-api.js's box geometry, reproduced to the pixel: how it crops a face box out of a photo
// before a net sees it, and the "dlib-style" region it crops for the descriptor.
#pragma once

#include <optional>

#include "face/preprocess.h"
#include "facetag/face.h"

namespace facetag::face {

// The pixels face-api's extractFaceTensors slices for `box`: Box.clipAtImageBorders (clip the
// unrounded box to the image, then floor x, y, width and height separately). Empty when nothing
// of the box is left, where face-api silently drops the face.
std::optional<Region> FaceApiCrop(const Box& box, int image_width, int image_height);

// The region face-api computes descriptors on (FaceLandmarks.align with useDlibAlignment):
// centre = mean of the left-eye, right-eye and mouth centres; size = floor(mean eye-to-mouth
// distance / 0.45); x = floor(max(0, cx - 0.5 size)), y = floor(max(0, cy - 0.43 size)).
// No rotation.
Box AlignmentBox(const Landmarks68& landmarks);

// As above, plus face-api's cap width = min(size, crop.width + x) and height likewise, where
// `landmark_crop` is the FaceApiCrop of the detection the landmarks came from. The cap only
// binds when the eye-to-mouth distance exceeds 0.45 times the detection crop, i.e. on garbage
// landmarks; this overload exists for exact parity.
Box AlignmentBox(const Landmarks68& landmarks, const Region& landmark_crop);

}  // namespace facetag::face
