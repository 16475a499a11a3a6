#include "grade/class_copies.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>
#include <numeric>
#include <optional>
#include <unordered_map>

#include "grade/copy_detection.h"

namespace tcpgrade {
namespace {

size_t find_root(std::vector<size_t>& parent, size_t x) {
  while (parent[x] != x) x = parent[x] = parent[parent[x]];
  return x;
}

// One pair of rows that ties a group together.
struct PairEvidence {
  size_t a, b;                               // row indexes, a before b
  std::optional<SharedConversation> shared;  // none: byte-identical files
};

// The pair's evidence as the group lists it, or as row `from`'s own column says it.
std::string pair_text(const PairEvidence& e, const std::vector<GradeRow>& rows) {
  if (!e.shared) return fmt::format("{} is byte-identical to {}", rows[e.b].id, rows[e.a].id);
  return fmt::format("{} {}", rows[e.a].id, evidence_text(*e.shared, rows[e.a].id));
}
std::string own_text(const PairEvidence& e, size_t from, const std::vector<GradeRow>& rows) {
  const std::string& other = rows[from == e.a ? e.b : e.a].id;
  if (!e.shared) return "byte-identical to " + other;
  return evidence_text(*e.shared, rows[from].id);
}

// A row's copy_evidence stays one readable line however large its group.
constexpr size_t max_evidence_in_a_row = 3;

}  // namespace

std::vector<ClassCopyGroup> mark_copies(std::vector<GradeRow>& rows) {
  // Every pair that ties two submissions, strongest evidence first; only those that join two
  // groups are kept, so a group of n lists n - 1 pairs, not every pair among its members.
  std::vector<PairEvidence> candidates, pairs;
  // Byte-identical files: each tied to the first with the same bytes.
  std::unordered_map<std::string, size_t> first_with_hash;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].file_hash.empty()) continue;
    auto [found, fresh] = first_with_hash.try_emplace(rows[i].file_hash, i);
    if (!fresh) candidates.push_back({found->second, i, std::nullopt});
  }
  // Shared conversations: a byte-identical copy is tied to its original above already.
  std::vector<PrintedSubmission> printed;
  std::unordered_map<std::string, size_t> row_of;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i].print || !row_of.try_emplace(rows[i].id, i).second) continue;
    printed.push_back({rows[i].id, *rows[i].print});
  }
  for (const CopyGroup& group : find_copies(printed))
    for (const SharedConversation& shared : group.evidence)
      candidates.push_back({row_of.at(shared.a), row_of.at(shared.b), shared});
  std::vector<size_t> parent(rows.size());
  std::iota(parent.begin(), parent.end(), 0);
  for (PairEvidence& e : candidates) {
    size_t a = find_root(parent, e.a), b = find_root(parent, e.b);
    if (a == b) continue;
    parent[b] = a;
    pairs.push_back(std::move(e));
  }
  // Groups in the order of their first row: std::map on that first row's index.
  std::map<size_t, std::vector<size_t>> members;
  std::map<size_t, size_t> first_by_root;
  for (size_t i = 0; i < rows.size(); ++i) first_by_root.try_emplace(find_root(parent, i), i);
  for (size_t i = 0; i < rows.size(); ++i)
    members[first_by_root.at(find_root(parent, i))].push_back(i);
  std::vector<ClassCopyGroup> groups;
  for (const auto& [first, indexes] : members) {
    if (indexes.size() < 2) continue;
    ClassCopyGroup group;
    group.number = groups.size() + 1;
    for (size_t i : indexes) group.ids.push_back(rows[i].id);
    for (const PairEvidence& e : pairs)
      if (find_root(parent, e.a) == find_root(parent, first))
        group.evidence.push_back(pair_text(e, rows));
    for (size_t i : indexes) {
      GradeRow& row = rows[i];
      row.copy_group = group.number;
      row.copied_with.clear();
      for (size_t other : indexes)
        if (other != i) row.copied_with.push_back(rows[other].id);
      std::vector<std::string> own;
      size_t more = 0;
      for (const PairEvidence& e : pairs) {
        if (e.a != i && e.b != i) continue;
        if (own.size() < max_evidence_in_a_row)
          own.push_back(own_text(e, i, rows));
        else
          ++more;
      }
      row.copy_evidence = fmt::format("{}", fmt::join(own, "; "));
      if (more) row.copy_evidence += fmt::format("; and {} more (gradebook.json)", more);
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

}  // namespace tcpgrade
