// facetag annotate: a short caption and a few tags per photo from a language model behind an
// OpenAI-compatible `POST /v1/chat/completions` endpoint (llama.cpp's server, Ollama, vLLM, exo).
//
// What is sent per photo (docs/ANNOTATE.md): the names of the named people in it (unless
// send_names is false), the EXIF date and place when the photo has them, and with `vision` the
// photo itself, downscaled. Never its path or file name.
//
// Photos are annotated when they have no annotation, or one made for other content or for other
// facts (a person named since). Worker threads read, downscale and ask; the calling thread is
// the only catalog writer and commits each result as it arrives, so a killed run loses only the
// requests in flight and the next run carries on. Retries with exponential backoff on 429, 5xx,
// timeouts and dropped connections, honouring Retry-After.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "facetag/catalog.h"
#include "facetag/status.h"

namespace facetag {

struct AnnotateOptions {
  // Base URL ("http://127.0.0.1:8080", ".../v1" or the full ".../v1/chat/completions").
  std::string endpoint;
  std::string model;
  std::string api_key;  // sent as "Authorization: Bearer"; empty: no header
  bool vision = false;  // also send the photo, downscaled to max_image_side, as JPEG
  int max_image_side = 768;
  bool send_names = true;     // false: the prompt says how many people, not who
  bool force = false;         // annotate photos that are up to date too
  int concurrency = 2;        // requests in flight
  double timeout_s = 120;     // per request, connecting included
  int max_attempts = 5;       // per photo, for 429, 5xx, timeouts and dropped connections
  double backoff_s = 1;       // first wait; doubles each attempt
  double max_backoff_s = 60;  // cap on a wait, Retry-After included
};

// Normalises an endpoint to the full chat completions URL; empty and non-http(s) URLs are errors.
Result<std::string> ChatCompletionsUrl(const std::string& endpoint);

struct AnnotateProgress {
  int64_t done = 0, total = 0;  // photos answered (or failed) of those to annotate
  int64_t failed = 0;
  double elapsed_s = 0, per_s = 0;
  double eta_s = -1;  // -1: not known yet
};

struct AnnotateFailure {
  int64_t photo_id = 0;
  std::string path;
  std::string error;
};

struct AnnotateSummary {
  int64_t considered = 0;  // photos looked at
  int64_t up_to_date = 0;  // skipped: annotated for this content and these facts
  int64_t annotated = 0;
  int64_t failed = 0;
  bool stopped = false;  // the stop flag was raised: the rest is for the next run
  double seconds = 0;
  std::vector<AnnotateFailure> failures;
};

// Annotates the photos with status ok among `photo_ids` (every such photo when empty). Fails
// only when the catalog cannot be read or written; a photo's failure is in the summary.
// `stop`, when raised, ends the run soon: no new request starts, those in flight are abandoned.
Result<AnnotateSummary> AnnotatePhotos(Catalog& catalog, const std::vector<int64_t>& photo_ids,
                                       const AnnotateOptions& options,
                                       const std::function<void(const AnnotateProgress&)>& progress = {},
                                       const std::atomic<bool>* stop = nullptr);

}  // namespace facetag
