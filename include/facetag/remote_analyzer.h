// Analysis somewhere else: the cluster's workers turn an image into faces, for the service's
// /recognize and for the indexer (which still reads, hashes and commits every photo itself; only
// "analyse these bytes" travels). The head implements it over NATS (src/cluster); the service
// and the indexer see only this.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "facetag/engine.h"
#include "facetag/status.h"

namespace facetag {

// What a remote node made of an image, and which node it was.
struct RemoteAnalysis {
  // Not ok: no node gave an answer (none up, a timeout, a worker that died or could not read the
  // photo). It says nothing about the image: ask again, or analyse it here.
  Status delivery;
  // With `delivery` ok, the image's own outcome: faces, size, EXIF facts, or in `status` why the
  // image is no photo (recorded against it like a local failure). Not ok with `delivery` either.
  PhotoFaces faces;
  std::string node;  // the node's name (served_by, processed_by); empty when it did not say
};

// A library photo, analysed as `facetag index` analyses (ForPhotoLibrary).
struct RemotePhoto {
  std::string path;          // a folder path or s3:// URL that every node can read
  std::string content_hash;  // sha256 of `bytes`: a node that reads other bytes there refuses
  // The bytes the indexer read. Small ones travel with the request; bigger ones are read by the
  // node from `path` (a message bus has a size limit, and a photo would cross it twice).
  std::span<const uint8_t> bytes;
};

// Thread-safe; every call blocks until an answer or a timeout (then `delivery` says so).
class RemoteAnalyzer {
 public:
  virtual ~RemoteAnalyzer() = default;
  // Some node is there to answer (asked of a registry, so it may be a little late).
  virtual bool available() const = 0;
  // Requests worth having in flight at once to keep every node busy (at least 1).
  virtual int capacity() const = 0;
  // An image sent to /recognize, analysed as requests are.
  virtual RemoteAnalysis Analyze(std::span<const uint8_t> image_bytes) = 0;
  virtual RemoteAnalysis AnalyzePhoto(const RemotePhoto& photo) = 0;
};

}  // namespace facetag
