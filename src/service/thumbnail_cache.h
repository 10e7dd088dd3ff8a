// Face thumbnails as JPEG, keyed "<face id>/<size>", in a bounded in-memory LRU: the people page
// asks for the same ones again and again.
#pragma once

#include <algorithm>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace facetag::service {

class ThumbnailCache {
 public:
  std::optional<std::string> Get(const std::string& key) {
    std::lock_guard lock(mu_);
    auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    order_.splice(order_.begin(), order_, it->second);
    return it->second->second;
  }
  // Drops every size of these faces' thumbnails (a deleted person's must not be served again).
  void EraseFaces(const std::vector<int64_t>& face_ids) {
    std::lock_guard lock(mu_);
    for (auto it = order_.begin(); it != order_.end();) {
      const int64_t face = std::stoll(it->first.substr(0, it->first.find('/')));
      if (std::find(face_ids.begin(), face_ids.end(), face) == face_ids.end()) {
        ++it;
        continue;
      }
      bytes_ -= it->second.size();
      index_.erase(it->first);
      it = order_.erase(it);
    }
  }
  void Put(const std::string& key, std::string value) {
    std::lock_guard lock(mu_);
    if (index_.count(key)) return;
    order_.emplace_front(key, std::move(value));
    index_[key] = order_.begin();
    bytes_ += order_.front().second.size();
    while (bytes_ > kMaxBytes && !order_.empty()) {
      bytes_ -= order_.back().second.size();
      index_.erase(order_.back().first);
      order_.pop_back();
    }
  }

 private:
  static constexpr size_t kMaxBytes = 32 << 20;
  std::mutex mu_;
  std::list<std::pair<std::string, std::string>> order_;
  std::unordered_map<std::string, std::list<std::pair<std::string, std::string>>::iterator> index_;
  size_t bytes_ = 0;
};

}  // namespace facetag::service
