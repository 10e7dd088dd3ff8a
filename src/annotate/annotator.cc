// AnnotatePhotos: which photos need a caption, worker threads that ask the endpoint, and the
// calling thread writing each answer to the catalog as it arrives (the indexer's pattern).
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <unordered_set>

#include "annotate/chat_client.h"
#include "annotate/chat_protocol.h"
#include "annotate/photo_prompt.h"
#include "annotate/vision_image.h"
#include "facetag/annotate.h"

namespace facetag {

using namespace annotate_internal;

namespace {

struct Job {
  int64_t photo_id = 0;
  std::string path, content_hash;
  PhotoFacts facts;
  bool exif_known = false;  // facts.exif came from the catalog; else read it from the file
};

struct Outcome {
  const Job* job = nullptr;
  bool exif_read = false;
  PhotoExif exif;
  std::optional<Annotation> annotation;
  Status error;
};

std::string HashText(const std::string& text) {
  return HashBytes({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
}

// What the prompt says about the photo apart from the instruction: its hash tells whether an
// earlier annotation was made from the same facts.
std::string ContextHash(const PhotoFacts& facts, bool send_names) {
  return HashText(PromptText(facts, send_names, /*vision=*/false));
}

// The error an endpoint put in a 4xx/5xx body ({"error": {"message"}} or {"error": "..."}),
// short; else the status alone.
std::string HttpError(const HttpReply& reply) {
  std::string message;
  const auto j = nlohmann::json::parse(reply.body, nullptr, false);
  if (j.is_object() && j.contains("error")) {
    const auto& e = j["error"];
    if (e.is_string()) message = e.get<std::string>();
    if (e.is_object() && e.contains("message") && e["message"].is_string())
      message = e["message"].get<std::string>();
  }
  if (message.size() > 200) message = message.substr(0, 200) + "...";
  return "the endpoint answered HTTP " + std::to_string(reply.status) +
         (message.empty() ? "" : ": " + message);
}

class Worker {
 public:
  Worker(const AnnotateOptions& options, const std::string& url, std::atomic<bool>* no_schema,
         const std::atomic<bool>* stop)
      : options_(options), client_(url, options.api_key, options.timeout_s, stop), no_schema_(no_schema) {}

  Outcome Run(const Job& job) {
    Outcome out;
    out.job = &job;
    PhotoFacts facts = job.facts;
    std::string image_url;
    if (options_.vision || !job.exif_known) {
      std::ifstream f(job.path, std::ios::binary);
      std::string bytes{std::istreambuf_iterator<char>(f), {}};
      if (!f.good() && !f.eof()) {
        out.error = IoError("cannot read the file");
        return out;
      }
      const std::span<const uint8_t> data(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      if (HashBytes(data) != job.content_hash) {
        out.error = NotFound("the file changed since it was indexed (run facetag index first)");
        return out;
      }
      DecodeOptions decode;
      decode.read_exif_facts = true;
      decode.min_long_side = options_.vision ? options_.max_image_side : 256;
      auto decoded = DecodeImage(data, decode);
      if (!decoded.ok()) {
        out.error = decoded.status();
        return out;
      }
      if (!job.exif_known) {
        out.exif_read = true;
        out.exif = decoded->exif;
        facts.exif = decoded->exif;
      }
      if (options_.vision) {
        auto url = JpegDataUrl(decoded->image, options_.max_image_side);
        if (!url.ok()) {
          out.error = url.status();
          return out;
        }
        image_url = std::move(*url);
      }
    }
    ChatRequest request;
    request.model = options_.model;
    request.system = SystemPrompt();
    request.text = PromptText(facts, options_.send_names, options_.vision);
    request.image_data_url = std::move(image_url);
    const RetryPolicy policy{options_.max_attempts, options_.backoff_s, options_.max_backoff_s};
    for (;;) {
      request.json_schema = !no_schema_->load();
      auto reply = client_.Post(RequestBody(request), policy);
      if (!reply.ok()) {
        out.error = reply.status();
        return out;
      }
      // A server without structured output support refuses response_format: ask again
      // without it (for the rest of the run too) and check the plain answer instead.
      if (reply->status == 400 && request.json_schema &&
          reply->body.find("response_format") != std::string::npos) {
        no_schema_->store(true);
        continue;
      }
      if (reply->status < 200 || reply->status > 299) {
        out.error = IoError(HttpError(*reply));
        return out;
      }
      auto annotation = ParseReply(reply->body);
      if (!annotation.ok()) {
        out.error = annotation.status();
        return out;
      }
      out.annotation = std::move(*annotation);
      return out;
    }
  }

 private:
  const AnnotateOptions& options_;
  ChatClient client_;
  std::atomic<bool>* no_schema_;
};

// The facts the catalog has about each photo: the names of its people, left to right.
Result<PhotoFacts> CatalogFacts(Catalog& catalog, int64_t photo_id, std::map<int64_t, std::string>& names) {
  auto faces = catalog.FacesOfPhoto(photo_id);
  FACETAG_RETURN_IF_ERROR(faces.status());
  std::sort(faces->begin(), faces->end(), [](const FaceRecord& a, const FaceRecord& b) {
    return a.face.box.x + a.face.box.width / 2 < b.face.box.x + b.face.box.width / 2;
  });
  PhotoFacts facts;
  std::unordered_set<int64_t> seen;
  for (const FaceRecord& f : *faces) {
    if (f.person_id == 0 || !seen.insert(f.person_id).second) {
      if (f.person_id == 0) ++facts.unnamed_faces;
      continue;
    }
    auto it = names.find(f.person_id);
    if (it == names.end()) {
      auto person = catalog.GetPerson(f.person_id);
      FACETAG_RETURN_IF_ERROR(person.status());
      it = names.emplace(f.person_id, person->hidden ? "" : person->name).first;
    }
    if (it->second.empty())
      ++facts.unnamed_faces;
    else
      facts.names.push_back(it->second);
  }
  return facts;
}

}  // namespace

Result<std::string> ChatCompletionsUrl(const std::string& endpoint_in) {
  std::string url = endpoint_in;
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.empty()) return InvalidArgument("no endpoint");
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
    return InvalidArgument("the endpoint must be an http:// or https:// URL");
  const auto ends_with = [&](const std::string& tail) {
    return url.size() >= tail.size() && url.compare(url.size() - tail.size(), tail.size(), tail) == 0;
  };
  if (ends_with("/chat/completions")) return url;
  if (ends_with("/v1")) return url + "/chat/completions";
  return url + "/v1/chat/completions";
}

Result<AnnotateSummary> AnnotatePhotos(Catalog& catalog, const std::vector<int64_t>& photo_ids,
                                       const AnnotateOptions& options,
                                       const std::function<void(const AnnotateProgress&)>& progress,
                                       const std::atomic<bool>* stop) {
  auto url = ChatCompletionsUrl(options.endpoint);
  FACETAG_RETURN_IF_ERROR(url.status());
  if (options.model.empty()) return InvalidArgument("no model named");
  if (options.concurrency < 1) return InvalidArgument("concurrency must be at least 1");
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };

  auto photos = catalog.PhotosToDescribe();
  FACETAG_RETURN_IF_ERROR(photos.status());
  const std::unordered_set<int64_t> wanted(photo_ids.begin(), photo_ids.end());
  AnnotateSummary summary;
  std::deque<Job> jobs;  // a deque: workers hold pointers into it while it is complete
  std::map<int64_t, std::string> names;
  for (const PhotoRecord& p : *photos) {
    if (!wanted.empty() && !wanted.count(p.id)) continue;
    ++summary.considered;
    auto facts = CatalogFacts(catalog, p.id, names);
    FACETAG_RETURN_IF_ERROR(facts.status());
    auto exif = catalog.GetPhotoExif(p.id);
    FACETAG_RETURN_IF_ERROR(exif.status());
    Job job{p.id, p.path, p.content_hash, std::move(*facts), exif->has_value()};
    if (job.exif_known) job.facts.exif = **exif;
    if (!options.force && job.exif_known) {
      auto existing = catalog.GetAnnotation(p.id);
      FACETAG_RETURN_IF_ERROR(existing.status());
      if (existing->has_value() && (*existing)->content_hash == p.content_hash &&
          (*existing)->context_hash == ContextHash(job.facts, options.send_names)) {
        ++summary.up_to_date;
        continue;
      }
    }
    jobs.push_back(std::move(job));
  }

  // Workers take jobs in order and hand outcomes to this thread, the only catalog writer.
  std::mutex mu;
  std::condition_variable arrived;
  std::deque<Outcome> outcomes;
  std::atomic<size_t> next{0};
  std::atomic<bool> no_schema{false};
  std::atomic<bool> quit{false};  // raised by the caller's stop flag, for the workers' clients
  const auto stopping = [&] { return stop != nullptr && stop->load(); };
  std::vector<std::thread> threads;
  const size_t n_threads = std::min(jobs.size(), static_cast<size_t>(options.concurrency));
  size_t running = n_threads;
  for (size_t t = 0; t < n_threads; ++t) {
    threads.emplace_back([&] {
      Worker worker(options, *url, &no_schema, &quit);
      for (size_t i; !quit.load() && (i = next.fetch_add(1)) < jobs.size();) {
        Outcome o = worker.Run(jobs[i]);
        std::lock_guard lock(mu);
        outcomes.push_back(std::move(o));
        arrived.notify_one();
      }
      std::lock_guard lock(mu);
      --running;
      arrived.notify_one();
    });
  }

  AnnotateProgress p;
  p.total = static_cast<int64_t>(jobs.size());
  if (progress) progress(p);
  Status write_error;
  for (;;) {
    std::unique_lock lock(mu);
    arrived.wait_for(lock, std::chrono::milliseconds(100), [&] { return !outcomes.empty() || running == 0; });
    if (stopping() && !quit.load()) quit.store(true);
    if (outcomes.empty()) {
      if (running == 0) break;
      continue;
    }
    Outcome o = std::move(outcomes.front());
    outcomes.pop_front();
    lock.unlock();
    if (!write_error.ok()) continue;             // drain: the workers are stopping
    if (quit.load() && !o.annotation) continue;  // abandoned in flight: the next run asks again
    if (o.exif_read) write_error = catalog.SetPhotoExif(o.job->photo_id, o.job->content_hash, o.exif);
    if (write_error.ok() && o.annotation) {
      PhotoFacts facts = o.job->facts;
      if (o.exif_read) facts.exif = o.exif;
      PhotoAnnotation a;
      a.photo_id = o.job->photo_id;
      a.content_hash = o.job->content_hash;
      a.context_hash = ContextHash(facts, options.send_names);
      a.caption = o.annotation->caption;
      a.tags = o.annotation->tags;
      a.model = o.annotation->model.empty() ? options.model : o.annotation->model;
      a.annotated_at = static_cast<int64_t>(std::time(nullptr));
      write_error = catalog.SetAnnotation(a);
      if (write_error.ok()) ++summary.annotated;
    } else if (write_error.ok()) {
      ++summary.failed;
      summary.failures.push_back({o.job->photo_id, o.job->path, o.error.message()});
    }
    if (!write_error.ok()) quit.store(true);
    ++p.done;
    p.failed = summary.failed;
    p.elapsed_s = elapsed();
    p.per_s = p.elapsed_s > 0 ? static_cast<double>(p.done) / p.elapsed_s : 0;
    p.eta_s = p.per_s > 0 ? static_cast<double>(p.total - p.done) / p.per_s : -1;
    if (progress) progress(p);
  }
  for (auto& t : threads) t.join();
  FACETAG_RETURN_IF_ERROR(write_error);
  summary.stopped = stopping() && static_cast<int64_t>(summary.annotated + summary.failed) < p.total;
  summary.seconds = elapsed();
  // Answers arrive in any order; the report reads better, and diffs, in path order.
  std::sort(summary.failures.begin(), summary.failures.end(),
            [](const AnnotateFailure& a, const AnnotateFailure& b) { return a.path < b.path; });
  return summary;
}

}  // namespace facetag
