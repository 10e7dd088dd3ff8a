#include "cluster/protocol.h"

#include <openssl/evp.h>

#include <cstring>
#include <nlohmann/json.hpp>

namespace facetag::cluster {
namespace {

using nlohmann::json;

json FacesJson(const std::vector<Face>& faces) {
  json out = json::array();
  for (const Face& f : faces) {
    out.push_back({{"box", {f.box.x, f.box.y, f.box.width, f.box.height}},
                   {"score", f.score},
                   {"landmarks", Base64Encode(f.landmarks.data(), sizeof(f.landmarks))},
                   {"embedding", Base64Encode(f.embedding.data(), f.embedding.size() * sizeof(float))}});
  }
  return out;
}

Result<std::vector<Face>> ParseFaces(const json& j) {
  std::vector<Face> faces;
  for (const json& jf : j) {
    Face f;
    const auto& b = jf.at("box");
    f.box = {b.at(0).get<float>(), b.at(1).get<float>(), b.at(2).get<float>(), b.at(3).get<float>()};
    f.score = jf.at("score").get<float>();
    auto lm = Base64Decode(jf.at("landmarks").get<std::string>());
    FACETAG_RETURN_IF_ERROR(lm.status());
    if (lm->size() != sizeof(f.landmarks)) return Corrupt("landmarks of the wrong size");
    std::memcpy(f.landmarks.data(), lm->data(), lm->size());
    auto emb = Base64Decode(jf.at("embedding").get<std::string>());
    FACETAG_RETURN_IF_ERROR(emb.status());
    if (emb->size() % sizeof(float) != 0) return Corrupt("embedding of the wrong size");
    f.embedding.resize(emb->size() / sizeof(float));
    std::memcpy(f.embedding.data(), emb->data(), emb->size());
    faces.push_back(std::move(f));
  }
  return faces;
}

template <typename F>
auto Parsed(const std::string& text, const char* what, F&& parse) -> decltype(parse(json())) {
  try {
    return parse(json::parse(text));
  } catch (const std::exception& e) {
    return Corrupt(std::string("malformed ") + what + ": " + e.what());
  }
}

}  // namespace

std::string Base64Encode(const void* data, size_t size) {
  std::string out(4 * ((size + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                static_cast<const unsigned char*>(data), static_cast<int>(size));
  out.resize(static_cast<size_t>(n));
  return out;
}

Result<std::vector<uint8_t>> Base64Decode(const std::string& text) {
  if (text.size() % 4 != 0) return Corrupt("bad base64 length");
  std::vector<uint8_t> out(3 * text.size() / 4);
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return Corrupt("bad base64");
  size_t size = static_cast<size_t>(n);
  // EVP_DecodeBlock counts the padding as zero bytes.
  if (!text.empty() && text.back() == '=') --size;
  if (text.size() >= 2 && text[text.size() - 2] == '=') --size;
  out.resize(size);
  return out;
}

std::string EncodeJob(const Job& job) {
  json j = {{"id", job.id}, {"path", job.path}, {"size", job.stat.size}, {"mtime_ns", job.stat.mtime_ns}};
  if (job.noop) j["noop"] = true;
  if (!job.inline_bytes.empty()) j["data"] = Base64Encode(job.inline_bytes.data(), job.inline_bytes.size());
  return j.dump();
}

Result<Job> DecodeJob(const std::string& text) {
  return Parsed(text, "job", [](const json& j) -> Result<Job> {
    Job job;
    job.id = j.at("id").get<std::string>();
    job.path = j.at("path").get<std::string>();
    job.stat.size = j.at("size").get<int64_t>();
    job.stat.mtime_ns = j.at("mtime_ns").get<int64_t>();
    job.noop = j.value("noop", false);
    if (j.contains("data")) {
      auto bytes = Base64Decode(j.at("data").get<std::string>());
      FACETAG_RETURN_IF_ERROR(bytes.status());
      job.inline_bytes = std::move(*bytes);
    }
    if (job.id.empty() || (!job.noop && job.path.empty())) return Corrupt("job without an id or a path");
    return job;
  });
}

std::string EncodeResult(const JobResult& r) {
  json j = {{"job", r.job_id}, {"worker", r.worker}};
  if (r.noop) {
    j["noop"] = true;
    return j.dump();
  }
  if (!r.problem.empty()) {
    j["problem"] = r.problem;
    return j.dump();
  }
  const PhotoInput& p = r.photo;
  j["path"] = p.path;
  j["size"] = p.stat.size;
  j["mtime_ns"] = p.stat.mtime_ns;
  j["hash"] = p.content_hash;
  j["width"] = p.width;
  j["height"] = p.height;
  if (p.status == PhotoStatus::kFailed) j["error"] = p.error;
  j["faces"] = FacesJson(r.faces);
  if (!r.exif.taken.empty()) j["taken"] = r.exif.taken;
  if (r.exif.has_location) j["location"] = {r.exif.latitude, r.exif.longitude};
  return j.dump();
}

Result<JobResult> DecodeResult(const std::string& text) {
  return Parsed(text, "result", [](const json& j) -> Result<JobResult> {
    JobResult r;
    r.job_id = j.at("job").get<std::string>();
    r.worker = j.at("worker").get<std::string>();
    r.noop = j.value("noop", false);
    r.problem = j.value("problem", "");
    if (r.noop || !r.problem.empty()) return r;
    PhotoInput& p = r.photo;
    p.path = j.at("path").get<std::string>();
    p.stat.size = j.at("size").get<int64_t>();
    p.stat.mtime_ns = j.at("mtime_ns").get<int64_t>();
    p.content_hash = j.at("hash").get<std::string>();
    p.width = j.at("width").get<int>();
    p.height = j.at("height").get<int>();
    if (j.contains("error")) {
      p.status = PhotoStatus::kFailed;
      p.error = j.at("error").get<std::string>();
    }
    p.processed_by = r.worker;
    auto faces = ParseFaces(j.at("faces"));
    FACETAG_RETURN_IF_ERROR(faces.status());
    r.faces = std::move(*faces);
    r.exif.taken = j.value("taken", "");
    if (j.contains("location")) {
      r.exif.has_location = true;
      r.exif.latitude = j.at("location").at(0).get<double>();
      r.exif.longitude = j.at("location").at(1).get<double>();
    }
    return r;
  });
}

Status StatusFromText(const std::string& text) {
  for (ErrorCode code :
       {ErrorCode::kInvalidArgument, ErrorCode::kNotFound, ErrorCode::kIoError, ErrorCode::kUnsupported,
        ErrorCode::kCorrupt, ErrorCode::kTooLarge, ErrorCode::kInternal}) {
    const std::string prefix = std::string(ErrorCodeName(code)) + ": ";
    if (text.rfind(prefix, 0) == 0) return Status(code, text.substr(prefix.size()));
  }
  return Internal(text);
}

std::string EncodePhotoFaces(const PhotoFaces& f, const std::string& worker) {
  json j = {{"width", f.width}, {"height", f.height}, {"faces", FacesJson(f.faces)}};
  if (!worker.empty()) j["worker"] = worker;
  if (!f.status.ok()) j["error"] = f.status.ToString();
  return j.dump();
}

Result<PhotoFaces> DecodePhotoFaces(const std::string& text, std::string* worker) {
  return Parsed(text, "recognition answer", [worker](const json& j) -> Result<PhotoFaces> {
    PhotoFaces f;
    if (worker != nullptr) *worker = j.value("worker", "");
    f.width = j.at("width").get<int>();
    f.height = j.at("height").get<int>();
    if (j.contains("error")) f.status = Corrupt(j.at("error").get<std::string>());
    auto faces = ParseFaces(j.at("faces"));
    FACETAG_RETURN_IF_ERROR(faces.status());
    f.faces = std::move(*faces);
    return f;
  });
}

std::string EncodeFailed(const FailedJobRecord& f) {
  return json{{"job", f.job_id},
              {"path", f.path},
              {"worker", f.worker},
              {"reason", f.reason},
              {"deliveries", f.deliveries}}
      .dump();
}

Result<FailedJobRecord> DecodeFailed(const std::string& text) {
  return Parsed(text, "failed job", [](const json& j) -> Result<FailedJobRecord> {
    FailedJobRecord f;
    f.job_id = j.at("job").get<std::string>();
    f.path = j.value("path", "");
    f.worker = j.value("worker", "");
    f.reason = j.value("reason", "");
    f.deliveries = j.value("deliveries", 0);
    return f;
  });
}

}  // namespace facetag::cluster
