// `facetag index --head`: the client side of a cluster index. It scans and hashes (it must see
// the files anyway, and the job id is the content hash), asks the head what is catalogued
// already, enqueues the rest and waits until the head has them, then asks it to finish.
#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_map>

#include "cluster/nats_connection.h"
#include "cluster/protocol.h"
#include "cluster/status_report.h"
#include "facetag/cluster.h"
#include "library/file_content.h"
#include "library/progress_meter.h"
#include "library/scanned_stats.h"
#include "storage/object_url.h"

namespace facetag {
namespace {

using namespace cluster;
using nlohmann::json;

struct Item {
  std::string path;
  FileStat stat;
  std::string hash;
};

constexpr size_t kCheckChunk = 500;
constexpr int kHeadTimeoutMs = 10000;

// What the head said of an item, by the indexer's rules (library/index_rules.h).
struct Checked {
  bool done = false;         // catalogued (or its content is: the head recorded the path)
  std::string failed_error;  // catalogued as failed: why
};

// Asks the head which items are catalogued; retried while the head is away (restarting).
Result<std::vector<Checked>> Check(NatsConnection& conn, const std::vector<const Item*>& items,
                                   bool with_hash) {
  std::vector<Checked> done;
  for (size_t begin = 0; begin < items.size(); begin += kCheckChunk) {
    json request_items = json::array();
    for (size_t i = begin; i < std::min(items.size(), begin + kCheckChunk); ++i) {
      json it = {
          {"path", items[i]->path}, {"size", items[i]->stat.size}, {"mtime_ns", items[i]->stat.mtime_ns}};
      if (with_hash && !items[i]->hash.empty()) it["hash"] = items[i]->hash;
      request_items.push_back(std::move(it));
    }
    const std::string request = json{{"items", std::move(request_items)}}.dump();
    Status last;
    for (int attempt = 0;; ++attempt) {
      auto reply = conn.Request(kCheckSubject, request, kHeadTimeoutMs);
      if (reply.ok()) {
        const json answer = json::parse(MsgData(reply->get()), nullptr, false);
        if (answer.is_discarded() || answer.contains("error") || !answer.contains("done"))
          return Internal("the head could not check photos: " +
                          answer.value("error", std::string("bad answer")));
        const json& failed = answer.contains("failed") ? answer.at("failed") : json::array();
        for (size_t k = 0; k < answer.at("done").size(); ++k) {
          Checked c;
          c.done = answer.at("done")[k].get<bool>();
          if (k < failed.size() && failed[k].is_string()) c.failed_error = failed[k].get<std::string>();
          done.push_back(std::move(c));
        }
        break;
      }
      last = reply.status();
      if (attempt >= 60) return Status(last.code(), "the head does not answer: " + last.message());
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
  return done;
}

// The catalog's face count (-1: unknown), to report how many faces a run added.
int64_t FacesInCatalog(NatsConnection& conn) {
  auto reply = conn.Request(kCheckSubject, R"({"items":[],"counts":true})", kHeadTimeoutMs);
  if (!reply.ok()) return -1;
  const json answer = json::parse(MsgData(reply->get()), nullptr, false);
  return answer.is_object() ? answer.value("faces", int64_t{-1}) : -1;
}

}  // namespace

Result<IndexSummary> ClusterIndex(const ClusterEndpoint& head,
                                  const std::vector<std::filesystem::path>& roots,
                                  const IndexProgressCallback& progress, Catalog::Counts* counts) {
  if (roots.empty()) return InvalidArgument("no folders or files to index");
  const auto t0 = std::chrono::steady_clock::now();
  auto connected = NatsConnection::Connect(head, "facetag-index");
  FACETAG_RETURN_IF_ERROR(connected.status());
  NatsConnection& conn = **connected;
  library::ProgressMeter meter(progress);
  IndexSummary summary;

  meter.Phase(IndexProgress::Phase::kScanning);
  std::vector<ScannedRoot> scanned;
  std::vector<std::string> files;
  for (const auto& root : roots) {
    scanned.push_back(ScanRoot(root));
    if (!scanned.back().status.ok())
      summary.failures.push_back({scanned.back().root, scanned.back().status.ToString()});
    files.insert(files.end(), scanned.back().files.begin(), scanned.back().files.end());
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  summary.files = static_cast<int64_t>(files.size());
  meter.Start(summary.files);

  // 1. Unchanged files (path, size and mtime as catalogued): not even read.
  std::vector<Item> items;
  std::unordered_map<std::string, bool> vanished;
  const library::ScannedStats stats(scanned);
  for (const auto& f : files) {
    auto stat = stats.Of(f);
    if (!stat.ok()) {
      vanished[f] = true;
      meter.FileDone(0);
      continue;
    }
    items.push_back({f, *stat, {}});
  }
  std::vector<const Item*> all;
  for (const auto& it : items) all.push_back(&it);
  auto unchanged = Check(conn, all, false);
  FACETAG_RETURN_IF_ERROR(unchanged.status());
  std::vector<const Item*> to_hash;
  for (size_t i = 0; i < all.size(); ++i) {
    if ((*unchanged)[i].done) {
      ++summary.unchanged;
      if (!(*unchanged)[i].failed_error.empty())
        summary.failures.push_back({all[i]->path, (*unchanged)[i].failed_error});
      meter.FileDone(0);
    } else {
      to_hash.push_back(all[i]);
    }
  }

  // 2. Read and hash the rest; known content is recorded by the head, the rest becomes jobs.
  meter.Phase(IndexProgress::Phase::kIndexing);
  std::unordered_map<const Item*, std::vector<uint8_t>> inline_bytes;
  std::vector<const Item*> unreadable;
  for (const Item* it : to_hash) {
    library::FileContent content = library::ReadFileContent(it->path, 1ull << 30);
    const_cast<Item*>(it)->hash = content.hash;
    if (content.hash.empty()) {
      // The store away is this run's failure, not the photo's: nothing is recorded against it.
      if (!content.store_unavailable) {
        unreadable.push_back(it);
      } else {
        ++summary.failed;
        meter.FileDone(0);
      }
      summary.failures.push_back({it->path, content.status.ToString()});
      continue;
    }
    // An object travels as its reference: each worker fetches it from the store itself.
    if (content.status.ok() && content.bytes.size() <= kMaxInlineBytes && !storage::IsObjectUrl(it->path))
      inline_bytes[it] = std::move(content.bytes);
  }
  auto known = Check(conn, to_hash, true);
  FACETAG_RETURN_IF_ERROR(known.status());
  std::vector<const Item*> pending;
  for (size_t i = 0; i < to_hash.size(); ++i) {
    if ((*known)[i].done) {
      ++summary.known_content;
      meter.FileDone(0);
    } else if (!to_hash[i]->hash.empty()) {
      pending.push_back(to_hash[i]);
    }
  }
  // A file this client cannot read is recorded as failed, as a local index would.
  for (const Item* it : unreadable) {
    JobResult r;
    r.job_id = "unreadable";
    r.worker = "index-client";
    r.photo.path = it->path;
    r.photo.stat = it->stat;
    r.photo.status = PhotoStatus::kFailed;
    r.photo.error = summary.failures.back().error;
    for (const auto& f : summary.failures)
      if (f.path == it->path) r.photo.error = f.error;
    FACETAG_RETURN_IF_ERROR(conn.Publish(kResultsSubject, EncodeResult(r)));
    ++summary.failed;
    meter.FileDone(0);
  }
  auto enqueue = [&](const Item* it, int attempt) {
    Job job;
    job.id = it->hash;
    job.path = it->path;
    job.stat = it->stat;
    if (auto found = inline_bytes.find(it); found != inline_bytes.end()) job.inline_bytes = found->second;
    return conn.Publish(kJobsSubject, EncodeJob(job),
                        job.id + ":" + job.path + ":" + std::to_string(attempt));
  };
  for (const Item* it : pending) FACETAG_RETURN_IF_ERROR(enqueue(it, 0));
  summary.analyzed = static_cast<int64_t>(pending.size());
  const int64_t faces_before = FacesInCatalog(conn);

  // 3. Wait until the head has them all. When both queues are empty and a photo is still not
  // catalogued, it was dead-lettered (a failure with its reason) or lost (enqueued again).
  int idle_polls = 0, attempt = 0;
  while (!pending.empty()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto jobs = conn.StreamMessages(kJobsStream);
    auto results = conn.StreamMessages(kResultsStream);
    const bool drained = jobs.ok() && results.ok() && *jobs == 0 && *results == 0;
    auto done = Check(conn, pending, false);
    FACETAG_RETURN_IF_ERROR(done.status());
    std::vector<const Item*> still;
    for (size_t i = 0; i < pending.size(); ++i) {
      if ((*done)[i].done && !(*done)[i].failed_error.empty()) {
        ++summary.failed;
        summary.failures.push_back({pending[i]->path, (*done)[i].failed_error});
        meter.FileDone(0);
      } else if ((*done)[i].done) {
        ++summary.added;
        meter.FileDone(0);
      } else
        still.push_back(pending[i]);
    }
    pending = std::move(still);
    if (!drained || pending.empty()) {
      idle_polls = 0;
      continue;
    }
    if (++idle_polls < 3) continue;
    std::vector<const Item*> lost;
    for (const Item* it : pending) {
      auto failed = FindFailedJob(conn, it->hash);
      FACETAG_RETURN_IF_ERROR(failed.status());
      if (failed->has_value()) {
        summary.failures.push_back({it->path, "dead-lettered: " + (*failed)->reason});
        ++summary.failed;
        meter.FileDone(0);
      } else {
        lost.push_back(it);
      }
    }
    ++attempt;
    for (const Item* it : lost) FACETAG_RETURN_IF_ERROR(enqueue(it, attempt));
    pending = std::move(lost);
    idle_polls = 0;
  }

  // 4. Missing files and grouping, on the head.
  meter.Phase(IndexProgress::Phase::kGrouping);
  json roots_json = json::array();
  for (const auto& r : scanned) {
    if (!r.status.ok()) continue;  // an unplugged disk: its photos are not gone
    std::vector<std::string> seen;
    for (const auto& f : r.files)
      if (!vanished.count(f)) seen.push_back(f);
    roots_json.push_back({{"root", r.root}, {"files", std::move(seen)}});
  }
  // A head that dies with the request in hand never answers it: ask again (an extra finish is
  // an incremental grouping with nothing new). A long grouping also looks like that, and just
  // queues a cheap repeat behind itself.
  const std::string finish = json{{"roots", std::move(roots_json)}}.dump();
  Result<MsgPtr> reply = IoError("not asked");
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(30);
  while (true) {
    reply = conn.Request(kFinishSubject, finish, 20000);
    if (reply.ok() || std::chrono::steady_clock::now() > give_up) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  FACETAG_RETURN_IF_ERROR(reply.status());
  const json answer = json::parse(MsgData(reply->get()), nullptr, false);
  if (answer.is_discarded() || answer.contains("error"))
    return Internal("the head could not finish the index: " +
                    answer.value("error", std::string("bad answer")));
  summary.missing = answer.value("missing", int64_t{0});
  summary.grouped = true;
  summary.grouping.stats.new_people = answer.value("new_people", int64_t{0});
  summary.grouping.stats.people = answer.value("people", int64_t{0});
  summary.grouping.stats.faces = answer.value("faces", int64_t{0});
  if (counts != nullptr) {
    const json& c = answer.at("counts");
    counts->photos = c.value("photos", int64_t{0});
    counts->failed = c.value("failed", int64_t{0});
    counts->missing = c.value("missing", int64_t{0});
    counts->faces = c.value("faces", int64_t{0});
    counts->assigned_faces = c.value("assigned_faces", int64_t{0});
    counts->people = c.value("people", int64_t{0});
  }
  if (faces_before >= 0) summary.faces_added = answer.at("counts").value("faces", int64_t{0}) - faces_before;
  meter.Phase(IndexProgress::Phase::kDone);
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return summary;
}

}  // namespace facetag
