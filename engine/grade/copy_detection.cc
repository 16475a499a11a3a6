#include "grade/copy_detection.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <unordered_map>

namespace tcpgrade {
namespace {

struct Owner {
  size_t submission, conversation;
};

size_t find_root(std::vector<size_t>& parent, size_t x) {
  while (parent[x] != x) x = parent[x] = parent[parent[x]];
  return x;
}

bool enough(size_t common, size_t a, size_t b) {
  size_t shorter = std::min(a, b);
  size_t needed = std::max<size_t>(shorter == 1 ? 1 : 2, (shorter + 1) / 2);
  return common >= needed;
}

}  // namespace

std::vector<CopyGroup> find_copies(const std::vector<PrintedSubmission>& submissions) {
  // Who holds each segment key; then, per pair of conversations, how many keys they share.
  std::unordered_map<uint64_t, std::vector<Owner>> owners;
  for (size_t s = 0; s < submissions.size(); ++s)
    for (size_t c = 0; c < submissions[s].print.conversations.size(); ++c)
      for (uint64_t key : submissions[s].print.conversations[c].segment_keys)
        owners[key].push_back({s, c});
  std::map<std::tuple<size_t, size_t, size_t, size_t>, size_t> common;
  for (const auto& [key, holders] : owners) {
    if (holders.size() > 64) continue;  // a key in that many captures is no one's own run
    for (size_t i = 0; i < holders.size(); ++i)
      for (size_t j = i + 1; j < holders.size(); ++j)
        if (holders[i].submission != holders[j].submission)
          ++common[{holders[i].submission, holders[i].conversation, holders[j].submission,
                    holders[j].conversation}];
  }
  std::vector<size_t> parent(submissions.size());
  std::iota(parent.begin(), parent.end(), 0);
  std::vector<SharedConversation> shared;
  for (const auto& [pair, count] : common) {
    auto [sa, ca, sb, cb] = pair;
    const ConversationPrint& a = submissions[sa].print.conversations[ca];
    const ConversationPrint& b = submissions[sb].print.conversations[cb];
    if (!enough(count, a.segment_keys.size(), b.segment_keys.size())) continue;
    // Keep one piece of evidence per pair of submissions: the conversation sharing the most.
    // Named copies: clang 14 cannot capture structured bindings in a lambda.
    const std::string& id_a = submissions[sa].id;
    const std::string& id_b = submissions[sb].id;
    auto same_pair = [&](const SharedConversation& s) { return s.a == id_a && s.b == id_b; };
    auto found = std::find_if(shared.begin(), shared.end(), same_pair);
    SharedConversation evidence{submissions[sa].id,    submissions[sb].id,   a.endpoints, count,
                                a.segment_keys.size(), b.segment_keys.size()};
    if (found == shared.end())
      shared.push_back(std::move(evidence));
    else if (count > found->common)
      *found = std::move(evidence);
    parent[find_root(parent, sa)] = find_root(parent, sb);
  }
  std::map<size_t, std::pair<size_t, CopyGroup>> groups;  // root → (first member, group)
  for (size_t s = 0; s < submissions.size(); ++s) {
    auto& [first, group] = groups.try_emplace(find_root(parent, s), s, CopyGroup{}).first->second;
    group.ids.push_back(submissions[s].id);
  }
  std::vector<std::pair<size_t, CopyGroup>> ordered;
  for (auto& [root, entry] : groups)
    if (entry.second.ids.size() >= 2) ordered.push_back(std::move(entry));
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<CopyGroup> result;
  for (auto& [first, group] : ordered) {
    for (const SharedConversation& e : shared)
      if (std::find(group.ids.begin(), group.ids.end(), e.a) != group.ids.end())
        group.evidence.push_back(e);
    result.push_back(std::move(group));
  }
  return result;
}

std::string evidence_text(const SharedConversation& shared, const std::string& from) {
  bool from_a = from == shared.a;
  const std::string& other = from_a ? shared.b : shared.a;
  size_t own = from_a ? shared.in_a : shared.in_b;
  size_t theirs = from_a ? shared.in_b : shared.in_a;
  return fmt::format("shares {} of its {} segments of {} with {} ({} in {}'s capture)",
                     shared.common, own, shared.endpoints, other, theirs, other);
}

}  // namespace tcpgrade
