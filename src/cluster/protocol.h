// The messages that travel between index clients, the head and workers (JSON text).
// Embeddings and landmarks travel as base64 of little-endian float32, exact to the bit, so a
// face analysed on a worker is stored exactly as if it had been analysed on the head.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "facetag/catalog.h"
#include "facetag/engine.h"
#include "facetag/status.h"

namespace facetag::cluster {

// One photo to analyse. `id` is the sha256 of its content.
struct Job {
  std::string id;
  std::string path;  // readable on every worker (shared storage)
  FileStat stat;     // as the index client saw it: what the catalog's unchanged-check keys on
  std::vector<uint8_t> inline_bytes;  // small photos may travel inside the job
  bool noop = false;                  // benchmark: no work, an empty result
};

// A job's outcome: the photo as the catalog takes it, and its faces.
struct JobResult {
  std::string job_id;
  std::string worker;
  bool noop = false;
  // Non-empty: the worker could not do the job (the photo is unreadable there, or changed), so
  // there is no result; the other members but the ids are empty. Only in answers to a request
  // (kAnalyzeSubject): jobs from the queue say it by not being acked.
  std::string problem;
  PhotoInput photo;
  std::vector<Face> faces;
  PhotoExif exif;
};

// Small photos (thumbnails, crops) travel inside the job; bigger ones by path.
inline constexpr size_t kMaxInlineBytes = 64 << 10;

std::string EncodeJob(const Job& job);
Result<Job> DecodeJob(const std::string& text);
std::string EncodeResult(const JobResult& result);
// Parses DecodeResult's error text ("corrupt: truncated JPEG data") back into the Status that
// made it, so that its ToString() is that text again.
Status StatusFromText(const std::string& text);
Result<JobResult> DecodeResult(const std::string& text);
// A worker's answer to an online recognition, with the worker's name (the answer's served_by).
std::string EncodePhotoFaces(const PhotoFaces& faces, const std::string& worker = {});
Result<PhotoFaces> DecodePhotoFaces(const std::string& text, std::string* worker = nullptr);

// A dead-lettered job, as kept in the failed-jobs stream.
struct FailedJobRecord {
  std::string job_id, path, worker, reason;
  int deliveries = 0;
};
std::string EncodeFailed(const FailedJobRecord& f);
Result<FailedJobRecord> DecodeFailed(const std::string& text);

std::string Base64Encode(const void* data, size_t size);
Result<std::vector<uint8_t>> Base64Decode(const std::string& text);

}  // namespace facetag::cluster
