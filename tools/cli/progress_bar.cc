#include "progress_bar.h"

#include <unistd.h>

#include <string>

namespace facetag::cli {
namespace {

std::string Duration(double s) {
  if (s < 0) return "--:--";
  const long total = static_cast<long>(s + 0.5);
  char buf[32];
  if (total >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60, total % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ld:%02ld", total / 60, total % 60);
  }
  return buf;
}

}  // namespace

ProgressBar::ProgressBar(std::FILE* out) : out_(out), enabled_(::isatty(::fileno(out)) != 0) {}

ProgressBar::~ProgressBar() { Clear(); }

void ProgressBar::Update(const IndexProgress& p) {
  if (!enabled_) return;
  if (!Due(p.files_done == p.files_total || p.phase != IndexProgress::Phase::kIndexing)) return;
  switch (p.phase) {
    case IndexProgress::Phase::kScanning:
      std::fprintf(out_, "\r\033[Kscanning...");
      break;
    case IndexProgress::Phase::kGrouping:
      std::fprintf(out_, "\r\033[Kgrouping faces into people...");
      break;
    case IndexProgress::Phase::kDone:
      Clear();
      return;
    case IndexProgress::Phase::kIndexing:
      Draw(p.files_done, p.files_total, "files", std::to_string(p.faces_found) + " faces", p.files_per_s,
           p.eta_s);
      return;
  }
  std::fflush(out_);
}

void ProgressBar::Update(int64_t done, int64_t total, const char* unit, const std::string& detail,
                         double per_s, double eta_s) {
  if (!enabled_ || !Due(done == total)) return;
  Draw(done, total, unit, detail, per_s, eta_s);
}

bool ProgressBar::Due(bool last) {
  // At most ~10 redraws a second: a terminal is slow, and unchanged files go by by the thousand.
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && !last && now - last_ < std::chrono::milliseconds(100)) return false;
  last_ = now;
  drawn_ = true;
  return true;
}

void ProgressBar::Draw(int64_t done, int64_t total, const char* unit, const std::string& detail, double per_s,
                       double eta_s) {
  constexpr int kWidth = 30;
  const double frac = total > 0 ? double(done) / double(total) : 1.0;
  const int filled = static_cast<int>(frac * kWidth);
  const std::string bar = std::string(filled, '#') + std::string(kWidth - filled, '.');
  std::fprintf(out_, "\r\033[K[%s] %lld/%lld %s  %s%s%.1f %s/s  ETA %s", bar.c_str(),
               static_cast<long long>(done), static_cast<long long>(total), unit, detail.c_str(),
               detail.empty() ? "" : "  ", per_s, unit, Duration(eta_s).c_str());
  std::fflush(out_);
}

void ProgressBar::Clear() {
  if (!enabled_ || !drawn_) return;
  std::fprintf(out_, "\r\033[K");
  std::fflush(out_);
  drawn_ = false;
}

}  // namespace facetag::cli
