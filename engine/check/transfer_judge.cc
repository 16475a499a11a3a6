// A `transfer:` block judged on the segments it claimed: the bytes sent (retransmitted bytes
// once), Seq contiguous (no gap; overlap only as retransmissions the noise allows), every byte
// acknowledged by the peer, the reassembled payload, the segment count.
#include <fmt/format.h>

#include <algorithm>

#include "check/block_judge.h"
#include "check/matcher_eval.h"
#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

constexpr uint32_t retransmitted = analysis_flag::retransmission |
                                   analysis_flag::spurious_retransmission |
                                   analysis_flag::fast_retransmission;

// A data segment as an interval of the transfer's bytes, from the first data segment's Seq
// (wrap-safe: a transfer is far shorter than 2 GiB).
struct Span {
  int64_t begin = 0, end = 0;
  const CapturedSegment* segment = nullptr;
};

const char* side(Direction d) { return d == Direction::server_to_client ? "server" : "client"; }

BlockCheck matched(std::string field, const Matcher& m, int64_t value, std::string actual) {
  BlockCheck check;
  check.field = std::move(field);
  MatchOutcome outcome = evaluate(m, FieldValue{value, false, std::nullopt});
  check.status = outcome.status;
  check.expected = outcome.expected;
  check.actual = std::move(actual);
  return check;
}

// A download compared with its file: the sizes, then the first byte that differs.
std::string file_comparison(const std::string& data, const TextMatcher& file) {
  const std::string& want = file.expected();
  if (data == want) return fmt::format("{} bytes, the same as {}", data.size(), file.file);
  if (data.size() != want.size())
    return fmt::format("{} bytes; {} has {}", data.size(), file.file, want.size());
  size_t at = 0;
  while (at < data.size() && data[at] == want[at]) ++at;
  return fmt::format("{} bytes, differing from {} at byte {}", data.size(), file.file, at);
}

}  // namespace

BlockVerdict judge_transfer(const TransferExpectation& t, const CapturedConversation& c,
                            const std::vector<size_t>& claimed, uint32_t tolerated) {
  BlockVerdict v;
  std::vector<Span> spans;  // capture order
  for (size_t i : claimed) {
    const CapturedSegment& s = c.segments[i];
    if (s.direction != t.direction || s.len == 0) continue;
    int64_t begin = spans.empty() ? 0 : static_cast<int32_t>(s.seq - spans.front().segment->seq);
    spans.push_back({begin, begin + s.len, &s});
  }
  const std::string sender = side(t.direction);
  if (spans.empty()) {
    std::vector<std::string> fields = {"bytes", "seq", "acked"};
    if (t.payload.kind != TextMatchKind::none) fields.push_back("payload");
    if (t.segments.constrains()) fields.push_back("segments");
    for (std::string& field : fields) {
      BlockCheck& check = v.checks.emplace_back();
      check.field = std::move(field);
      check.status = CheckStatus::fail;
      check.expected = fmt::format("data from the {}", sender);
      check.actual = "no data segment";
      check.hint = fmt::format("the {} sent no data here", sender);
    }
    v.note = "transfer: no data";
    return v;
  }
  const uint32_t base_seq = spans.front().segment->seq;
  int64_t low = spans.front().begin;
  for (const Span& s : spans) low = std::min(low, s.begin);

  // Seq contiguous: in capture order, each segment starts where the bytes so far end; one that
  // starts before is a retransmission (allowed by the noise), one that starts after leaves a gap.
  std::string gaps, overlaps;
  int64_t high = low, covered = 0;
  std::vector<Span> by_seq = spans;
  std::stable_sort(by_seq.begin(), by_seq.end(),
                   [](const Span& a, const Span& b) { return a.begin < b.begin; });
  for (const Span& s : by_seq) {
    if (s.begin > high && gaps.empty())
      gaps = fmt::format(
          "bytes {}–{} (Seq {}–{}) are missing before frame {}: never sent, or "
          "lost by the capture",
          high - low, s.begin - low - 1, base_seq + high, base_seq + s.begin - 1, s.segment->frame);
    if (s.end > high) covered += s.end - std::max(high, s.begin), high = s.end;
  }
  int64_t sent_high = low;
  for (const Span& s : spans) {
    if (s.begin < sent_high && !(s.segment->analysis_flags & retransmitted & tolerated) &&
        overlaps.empty())
      overlaps = fmt::format(
          "frame {} sends bytes {}–{} again, a retransmission the scenario's "
          "noise: does not allow",
          s.segment->frame, s.begin - low, std::min(s.end, sent_high) - low - 1);
    sent_high = std::max(sent_high, s.end);
  }

  v.checks.push_back(matched("bytes", t.bytes, covered,
                             fmt::format("{} bytes in {} data segments", covered, spans.size())));
  if (!t.bytes.constrains()) v.checks.back().expected = "any number of bytes";
  if (v.checks.back().status != CheckStatus::pass)
    v.checks.back().hint = fmt::format(
        "the {} sent {} bytes here: is the file the lab names, and did the capture start before "
        "the transfer and end after it?",
        sender, covered);

  BlockCheck& seq = v.checks.emplace_back();
  seq.field = "seq";
  seq.expected = "contiguous Seq: no gap, bytes sent again only as retransmissions";
  seq.status = gaps.empty() && overlaps.empty() ? CheckStatus::pass : CheckStatus::fail;
  seq.actual = gaps.empty() && overlaps.empty()
                   ? fmt::format("Seq {}–{} contiguous", base_seq + low, base_seq + high - 1)
                   : (gaps.empty() ? overlaps : gaps);
  if (!gaps.empty())
    seq.hint =
        "a segment is missing: the capture lost it (tcpdump dropped frames: capture with "
        "--immediate-mode or -B 4096) or the file was cut";

  // Every byte acknowledged: by the highest Ack the peer sent after the first data segment,
  // in the block or later (the ACK of the last bytes may come with the peer's FIN).
  const CapturedSegment* best_ack = nullptr;
  int64_t acked = low;
  bool after_first = false;
  for (const CapturedSegment& s : c.segments) {
    if (&s == spans.front().segment) after_first = true;
    if (!after_first || s.direction == t.direction || !s.has_ack()) continue;
    int64_t a = static_cast<int32_t>(s.ack - base_seq);
    if (a > acked || !best_ack) acked = std::max(acked, a), best_ack = &s;
  }
  BlockCheck& ack = v.checks.emplace_back();
  ack.field = "acked";
  ack.expected = fmt::format("the {} acknowledges every byte (Ack {})",
                             t.direction == Direction::server_to_client ? "client" : "server",
                             base_seq + high);
  ack.status = acked >= high ? CheckStatus::pass : CheckStatus::fail;
  if (ack.status == CheckStatus::pass)
    ack.actual = fmt::format("Ack {} (frame {})", base_seq + acked, best_ack->frame);
  else if (!best_ack)
    ack.actual = fmt::format("bytes {}–{} never acknowledged: no ACK after frame {}", 0,
                             high - low - 1, spans.front().segment->frame);
  else
    ack.actual = fmt::format("bytes {}–{} never acknowledged: the highest Ack is {} (frame {})",
                             acked - low, high - low - 1, base_seq + acked, best_ack->frame);
  if (ack.status != CheckStatus::pass)
    ack.hint =
        "the capture ended before the last ACK, or lost it: stop tcpdump only after the "
        "client has finished";

  if (t.payload.kind != TextMatchKind::none) {
    // The bytes in Seq order, each once; a segment cut by the snap length cannot be judged.
    std::string data;
    bool cut = false;
    int64_t at = low;
    for (const Span& s : by_seq) {
      if (s.segment->payload.size() < s.segment->len) cut = true;
      if (s.end <= at || s.begin > at) continue;
      size_t skip = static_cast<size_t>(at - s.begin);
      if (skip < s.segment->payload.size()) data.append(s.segment->payload, skip);
      at = s.end;
    }
    BlockCheck& payload = v.checks.emplace_back();
    payload.field = "payload";
    payload.expected = describe(t.payload);
    if (cut) {
      payload.status = CheckStatus::unverifiable;
      payload.actual = "the capture cut the payload (snap length): it cannot be checked";
    } else {
      payload.status = text_matches(t.payload, data) ? CheckStatus::pass : CheckStatus::fail;
      payload.actual = t.payload.kind == TextMatchKind::equals_file
                           ? file_comparison(data, t.payload)
                           : fmt::format("{} bytes: \"{}\"", data.size(), printable(data, 64));
    }
  }
  if (t.segments.constrains())
    v.checks.push_back(matched("segments", t.segments, static_cast<int64_t>(spans.size()),
                               fmt::format("{} data segments", spans.size())));
  v.note = fmt::format("transfer of {} bytes", covered);
  return v;
}

}  // namespace tcpgrade
