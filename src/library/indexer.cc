// The indexing loop: scan, skip what is known, read+hash+analyse the rest on the workers (engine
// threads here, or the cluster's nodes through a RemoteAnalyzer), and commit each photo from
// this (the only writing) thread as its result arrives.
#include "facetag/indexer.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <span>
#include <unordered_set>

#include "facetag/xmp.h"
#include "library/file_content.h"
#include "library/index_rules.h"
#include "library/progress_meter.h"
#include "library/scanned_stats.h"
#include "storage/object_url.h"

namespace facetag {
namespace {

using library::FileContent;
using library::ProgressMeter;

// A file of the current chunk that must be read: the worker fills in what it learnt.
struct Pending {
  std::string path;
  FileStat stat;
  std::string hash;
  int64_t known_photo_id = 0;        // content already catalogued: only its path is to be recorded
  std::vector<NamedRegion> regions;  // named MWG face regions of the photo (names_from_xmp)
  // The object store could not be reached: a failure of this run, not recorded against the
  // photo, so the next run reads it again.
  bool store_unavailable = false;
  std::string processed_by;  // the cluster node that analysed it; empty: this machine
};

// A request no node answered is asked again this often (another node may answer) before the
// photo is analysed here.
constexpr int kRemoteTries = 3;

class Indexer {
 public:
  Indexer(Catalog& catalog, const IndexOptions& options, const IndexProgressCallback& progress)
      : catalog_(catalog), options_(options), meter_(progress) {}

  Result<IndexSummary> Run(const std::vector<std::filesystem::path>& roots);

 private:
  Status IndexChunk(std::span<const std::string> files, const library::ScannedStats& stats);
  Status AnalyzeHere(std::vector<Pending>& pending);
  Status AnalyzeRemotely(std::vector<Pending>& pending);
  // Starts the face engine (and the workers' own catalog connection) on first need.
  Status EnsureAnalyzer();
  Status EnsureLookup();
  // Reads and hashes `file`; a result already when there is nothing to analyse (known content,
  // an unreadable file), else the bytes to analyse in `content`.
  std::optional<PhotoFaces> ReadAndLookUp(Pending& file, FileContent& content);
  PhotoFaces ReadAndAnalyze(FaceEngine& engine, Pending& file);
  PhotoFaces ReadAndAnalyzeRemotely(Pending& file);
  PhotoFaces Analyze(FaceEngine& engine, Pending& file, const FileContent& content);
  PhotoFaces AnalyzeOnFallbackEngine(Pending& file, const FileContent& content);
  // The names of the photo's MWG face regions, once its faces are known (names_from_xmp).
  void ReadRegionNames(Pending& file, const PhotoFaces& result) const;
  Status Commit(const Pending& file, PhotoFaces&& result);
  Status MarkGone(const std::vector<ScannedRoot>& scanned);
  Status CompareAnalysis();

  Catalog& catalog_;
  const IndexOptions& options_;
  ProgressMeter meter_;
  IndexSummary summary_;
  std::unique_ptr<PhotoAnalyzer> analyzer_;
  // The workers' connection for content lookups: SQLite connections are not shared between
  // threads unguarded, and a lookup is microseconds next to decoding, so one guarded one will do.
  std::unique_ptr<Catalog> lookup_;
  std::mutex lookup_mu_;
  std::unordered_set<std::string> vanished_;  // listed by the scan, gone before we got to them
  // Analyses photos no remote node would take, one at a time (opened on first need).
  std::unique_ptr<FaceEngine> fallback_engine_;
  std::mutex fallback_mu_;
};

Result<IndexSummary> Indexer::Run(const std::vector<std::filesystem::path>& roots) {
  const auto t0 = std::chrono::steady_clock::now();
  meter_.Phase(IndexProgress::Phase::kScanning);
  std::vector<ScannedRoot> scanned;
  std::vector<std::string> files;
  for (const auto& root : roots) {
    scanned.push_back(ScanRoot(root));
    const ScannedRoot& s = scanned.back();
    if (!s.status.ok()) summary_.failures.push_back({s.root, s.status.ToString()});
    files.insert(files.end(), s.files.begin(), s.files.end());
  }
  // Overlapping roots (a folder and one inside it) list some files twice: index them once.
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  summary_.files = static_cast<int64_t>(files.size());

  meter_.Start(summary_.files);
  const library::ScannedStats stats(scanned);
  const size_t chunk = std::max<size_t>(1, options_.chunk_files);
  for (size_t begin = 0; begin < files.size(); begin += chunk) {
    const size_t end = std::min(files.size(), begin + chunk);
    FACETAG_RETURN_IF_ERROR(
        IndexChunk(std::span<const std::string>(files).subspan(begin, end - begin), stats));
  }
  files = {};  // the scan's lists below still name every file; no need for two copies
  FACETAG_RETURN_IF_ERROR(MarkGone(scanned));
  FACETAG_RETURN_IF_ERROR(CompareAnalysis());

  if (options_.group_after) {
    meter_.Phase(IndexProgress::Phase::kGrouping);
    auto report = GroupCatalog(catalog_, GroupingMode::kIncremental, options_.grouping);
    FACETAG_RETURN_IF_ERROR(report.status());
    summary_.grouped = true;
    summary_.grouping = *report;
  }
  meter_.Phase(IndexProgress::Phase::kDone);
  summary_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return std::move(summary_);
}

Status Indexer::IndexChunk(std::span<const std::string> files, const library::ScannedStats& stats) {
  // The cheap pass, on this thread: files catalogued with this exact size and mtime are skipped.
  std::vector<Pending> pending;
  for (const std::string& path : files) {
    auto stat = stats.Of(path);
    if (!stat.ok()) {
      vanished_.insert(path);
      meter_.FileDone(0);
      continue;
    }
    auto check = library::CheckByStat(catalog_, path, *stat);
    FACETAG_RETURN_IF_ERROR(check.status());
    if (check->unchanged) {
      ++summary_.unchanged;
      if (!check->failed_error.empty()) summary_.failures.push_back({path, check->failed_error});
      meter_.FileDone(0);
      continue;
    }
    pending.push_back({path, *stat, {}, 0, {}, false, {}});
  }
  if (pending.empty()) return Status::Ok();
  // Asked per chunk: workers that join during a long index take part from the next chunk on.
  if (options_.remote && options_.remote->available()) return AnalyzeRemotely(pending);
  return AnalyzeHere(pending);
}

Status Indexer::AnalyzeHere(std::vector<Pending>& pending) {
  FACETAG_RETURN_IF_ERROR(EnsureAnalyzer());
  Status failed;
  analyzer_->RunTasks(
      pending.size(), [&](FaceEngine& engine, size_t i) { return ReadAndAnalyze(engine, pending[i]); },
      [&](size_t i, PhotoFaces&& result) {
        // Once the catalog refused a write, the rest of the chunk is drained but not written.
        if (failed.ok()) failed = Commit(pending[i], std::move(result));
      });
  return failed;
}

// The remote nodes take the time of the analysis, so each photo in flight has a thread of its
// own here that reads it, waits for its answer and ends; this thread commits them in order.
Status Indexer::AnalyzeRemotely(std::vector<Pending>& pending) {
  FACETAG_RETURN_IF_ERROR(EnsureLookup());
  const size_t window = static_cast<size_t>(std::max(1, options_.remote->capacity()));
  std::deque<std::future<PhotoFaces>> in_flight;
  size_t committed = 0;
  Status failed;
  auto commit_oldest = [&] {
    PhotoFaces result = in_flight.front().get();
    in_flight.pop_front();
    // Once the catalog refused a write, the rest of the chunk is drained but not written.
    if (failed.ok()) failed = Commit(pending[committed], std::move(result));
    ++committed;
  };
  for (Pending& file : pending) {
    if (in_flight.size() >= window) commit_oldest();
    in_flight.push_back(
        std::async(std::launch::async, [this, &file] { return ReadAndAnalyzeRemotely(file); }));
  }
  while (!in_flight.empty()) commit_oldest();
  return failed;
}

Status Indexer::EnsureAnalyzer() {
  if (analyzer_) return Status::Ok();
  FACETAG_RETURN_IF_ERROR(EnsureLookup());
  auto analyzer = PhotoAnalyzer::Open(options_.pipeline);
  if (!analyzer.ok()) return analyzer.status();
  analyzer_ = std::move(*analyzer);
  return Status::Ok();
}

Status Indexer::EnsureLookup() {
  if (lookup_) return Status::Ok();
  auto lookup = Catalog::Open(catalog_.path());
  FACETAG_RETURN_IF_ERROR(lookup.status());
  lookup_ = std::move(*lookup);
  return Status::Ok();
}

// On a worker thread. Touches only its own `file` and, under the mutex, the lookup connection.
std::optional<PhotoFaces> Indexer::ReadAndLookUp(Pending& file, FileContent& content) {
  content = library::ReadFileContent(file.path, options_.pipeline.decode.max_file_bytes);
  file.hash = content.hash;
  file.store_unavailable = content.store_unavailable;
  {
    std::lock_guard lock(lookup_mu_);
    // A failed lookup only costs an analysis: AddPhotoResult still keeps known content.
    auto reusable = library::ReusablePhotoByContent(*lookup_, content.hash);
    if (reusable.ok()) file.known_photo_id = *reusable;
  }
  if (file.known_photo_id != 0) {
    PhotoFaces skipped;
    skipped.file = file.path;
    return skipped;
  }
  if (!content.status.ok()) {
    PhotoFaces unreadable;
    unreadable.file = file.path;
    unreadable.status = content.status;
    return unreadable;
  }
  return std::nullopt;
}

void Indexer::ReadRegionNames(Pending& file, const PhotoFaces& result) const {
  // Objects have no sidecar beside them, and their embedded XMP is not read a second time.
  if (!options_.names_from_xmp || !result.status.ok() || result.faces.empty() ||
      storage::IsObjectUrl(file.path))
    return;
  // An unreadable sidecar costs its names, never the photo: it is indexed all the same.
  auto regions = ReadNamedRegions(file.path, result.width, result.height);
  if (regions.ok()) file.regions = std::move(*regions);
}

PhotoFaces Indexer::ReadAndAnalyze(FaceEngine& engine, Pending& file) {
  FileContent content;
  if (auto done = ReadAndLookUp(file, content)) return std::move(*done);
  return Analyze(engine, file, content);
}

PhotoFaces Indexer::Analyze(FaceEngine& engine, Pending& file, const FileContent& content) {
  try {
    // The EXIF date too: the web UI's timeline orders photos by it (Catalog::Timeline).
    DecodeOptions decode = options_.pipeline.decode;
    decode.read_exif_facts = true;
    PhotoFaces result = AnalyzeBytes(engine, file.path, content.bytes, decode);
    ReadRegionNames(file, result);
    return result;
  } catch (const std::exception& e) {
    // A worker must not throw (it would end the process); a failure here is this file's.
    PhotoFaces broken;
    broken.file = file.path;
    broken.status = Internal(std::string("analysis failed: ") + e.what());
    return broken;
  }
}

// On its own thread (AnalyzeRemotely). A node that does not answer is not the photo's fault:
// another try, then this machine's engine; only the image's own failure is recorded.
PhotoFaces Indexer::ReadAndAnalyzeRemotely(Pending& file) {
  FileContent content;
  if (auto done = ReadAndLookUp(file, content)) return std::move(*done);
  const RemotePhoto photo{file.path, file.hash, content.bytes};
  for (int attempt = 0; attempt < kRemoteTries && options_.remote->available(); ++attempt) {
    RemoteAnalysis answer = options_.remote->AnalyzePhoto(photo);
    if (!answer.delivery.ok()) continue;
    file.processed_by = std::move(answer.node);
    PhotoFaces result = std::move(answer.faces);
    result.file = file.path;
    ReadRegionNames(file, result);
    return result;
  }
  return AnalyzeOnFallbackEngine(file, content);
}

PhotoFaces Indexer::AnalyzeOnFallbackEngine(Pending& file, const FileContent& content) {
  std::lock_guard lock(fallback_mu_);
  if (!fallback_engine_) {
    auto engine = FaceEngine::Open(options_.pipeline.engine);
    if (!engine.ok()) {
      // Neither a node nor this machine can analyse it: a failure of this run, not the photo's.
      file.store_unavailable = true;
      PhotoFaces none;
      none.file = file.path;
      none.status = engine.status();
      return none;
    }
    fallback_engine_ = std::move(*engine);
  }
  return Analyze(*fallback_engine_, file, content);
}

Status Indexer::Commit(const Pending& file, PhotoFaces&& result) {
  if (file.store_unavailable) {
    // Counted and reported as a failure of this run, but the catalog keeps what it had.
    ++summary_.failed;
    summary_.failures.push_back({file.path, result.status.ToString()});
    meter_.FileDone(0);
    return Status::Ok();
  }
  if (file.known_photo_id != 0) {
    FACETAG_RETURN_IF_ERROR(catalog_.RecordPath(file.known_photo_id, file.path, file.stat));
    ++summary_.known_content;
    meter_.FileDone(0);
    return Status::Ok();
  }
  PhotoInput in;
  in.path = file.path;
  in.stat = file.stat;
  in.content_hash = file.hash;
  in.width = result.width;
  in.height = result.height;
  in.processed_by = file.processed_by;
  if (!result.status.ok()) {
    in.status = PhotoStatus::kFailed;
    in.error = result.status.ToString();
    result.faces.clear();
  }
  auto outcome = catalog_.AddPhotoResult(in, result.faces);
  FACETAG_RETURN_IF_ERROR(outcome.status());
  ++summary_.analyzed;
  switch (outcome->kind) {
    case AddPhotoOutcome::Kind::kAdded:
      ++summary_.added;
      break;
    case AddPhotoOutcome::Kind::kReplaced:
      ++summary_.replaced;
      break;
    // Two copies of new content in one chunk: both were analysed, the second one is a copy.
    case AddPhotoOutcome::Kind::kKnownContent:
      ++summary_.known_content;
      break;
  }
  if (in.status == PhotoStatus::kFailed) {
    ++summary_.failed;
    summary_.failures.push_back({file.path, in.error});
  }
  if (in.status == PhotoStatus::kOk && result.faces.empty()) ++summary_.no_face;
  summary_.faces_added += outcome->faces_added;
  if (in.status == PhotoStatus::kOk && outcome->kind != AddPhotoOutcome::Kind::kKnownContent)
    FACETAG_RETURN_IF_ERROR(catalog_.SetPhotoExif(outcome->photo_id, in.content_hash, result.exif));
  if (!file.regions.empty() && outcome->kind != AddPhotoOutcome::Kind::kKnownContent) {
    auto named = ApplyRegionNames(catalog_, outcome->photo_id, file.regions);
    FACETAG_RETURN_IF_ERROR(named.status());
    summary_.xmp_named_faces += named->named_faces;
  }
  meter_.FileDone(static_cast<int64_t>(result.faces.size()));
  return Status::Ok();
}

Status Indexer::MarkGone(const std::vector<ScannedRoot>& scanned) {
  for (const ScannedRoot& root : scanned) {
    // A root that could not be scanned may be an unplugged disk: its photos are not gone.
    if (!root.status.ok()) continue;
    std::vector<std::string> seen;
    seen.reserve(root.files.size());
    for (const auto& f : root.files) {
      if (!vanished_.count(f)) seen.push_back(f);
    }
    auto gone = catalog_.MarkMissing(root.root, seen);
    FACETAG_RETURN_IF_ERROR(gone.status());
    summary_.missing += *gone;
  }
  return Status::Ok();
}

// The catalog records the settings of the first run that analysed a photo; a later run that
// analysed photos with other settings says so rather than mixing them silently.
Status Indexer::CompareAnalysis() {
  summary_.analysis = DescribeAnalysis(options_.pipeline);
  if (summary_.analyzed == summary_.failed) return Status::Ok();
  auto recorded = catalog_.AnalysisSettings();
  FACETAG_RETURN_IF_ERROR(recorded.status());
  if (recorded->empty()) return catalog_.RecordAnalysisSettings(summary_.analysis);
  if (*recorded != summary_.analysis) summary_.catalog_analysis_differs = *recorded;
  return Status::Ok();
}

}  // namespace

Result<IndexSummary> IndexLibrary(Catalog& catalog, const std::vector<std::filesystem::path>& roots,
                                  const IndexOptions& options, const IndexProgressCallback& progress) {
  if (roots.empty()) return InvalidArgument("no folders or files to index");
  IndexOptions library = options;
  library.pipeline = ForPhotoLibrary(options.pipeline);
  return Indexer(catalog, library, progress).Run(roots);
}

}  // namespace facetag
