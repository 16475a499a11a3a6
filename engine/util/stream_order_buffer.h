// Puts texts that arrive out of order back into stream order with little memory: each text
// waits, keyed by its stream number, only until every lower stream is done (its producer says
// how far that is), then leaves in order. A busy capture's connections close out of order only
// among those open at once, so few wait; a byte limit says when too many do (one connection
// held open across many), and the caller then falls back to an index of its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

namespace tcpgrade {

class StreamOrderBuffer {
 public:
  explicit StreamOrderBuffer(size_t max_waiting_bytes) : max_waiting_bytes_(max_waiting_bytes) {}

  // Holds `text` until release_below() passes `stream`; texts of one stream leave in the order
  // they came.
  void add(uint32_t stream, std::string text) {
    waiting_bytes_ += text.size();
    waiting_.emplace(stream, std::move(text));
  }
  // Whether more than the limit waits: the caller should take everything (release_all) and
  // order what comes later by other means.
  bool over_limit() const { return waiting_bytes_ > max_waiting_bytes_; }
  size_t waiting_bytes() const { return waiting_bytes_; }
  size_t waiting_count() const { return waiting_.size(); }

  // Hands `release(stream, text)` every text of a stream below `lowest_unfinished_stream`, in
  // stream order, and forgets them.
  template <typename Release>
  void release_below(uint32_t lowest_unfinished_stream, Release release) {
    auto end = waiting_.lower_bound(lowest_unfinished_stream);
    for (auto it = waiting_.begin(); it != end; ++it) {
      release(it->first, it->second);
      waiting_bytes_ -= it->second.size();
    }
    waiting_.erase(waiting_.begin(), end);
  }
  template <typename Release>
  void release_all(Release release) {
    for (const auto& [stream, text] : waiting_) release(stream, text);
    waiting_.clear();
    waiting_bytes_ = 0;
  }

 private:
  size_t max_waiting_bytes_;
  size_t waiting_bytes_ = 0;
  std::multimap<uint32_t, std::string> waiting_;
};

}  // namespace tcpgrade
