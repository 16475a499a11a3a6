#include "util/text_regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <fmt/format.h>
#include <pcre2.h>

#include <algorithm>
#include <stdexcept>

namespace tcpgrade {
namespace {

// Budgets for one search: ample for lab patterns over large responses, small enough that a
// catastrophic pattern gives up within a second and a search never holds more than 64 MiB.
constexpr uint32_t match_limit = 10'000'000;
constexpr uint32_t heap_limit_kib = 64 * 1024;

// PCRE2's match limit counts backtracking points, not bytes scanned: `a(?=[^x]*+x)` over 1 MB
// never backtracks, yet scans to the end from each of a million starts (minutes of CPU). So the
// matcher also reports, before each item of the pattern (auto-callouts), where it stands; the
// distance it moved since the last report is work done, and the work of one search is bounded
// by the subject's length times the pattern's: linear patterns stay far below it.
constexpr uint64_t work_per_byte_and_pattern_character = 32;
constexpr uint64_t min_work = 1 << 20;

struct WorkBudget {
  uint64_t done = 0, limit = 0;
  size_t last_position = 0;
};

int count_work(pcre2_callout_block* block, void* data) {
  auto* budget = static_cast<WorkBudget*>(data);
  size_t position = block->current_position;
  budget->done += 1 + (position > budget->last_position ? position - budget->last_position
                                                        : budget->last_position - position);
  budget->last_position = position;
  return budget->done > budget->limit ? PCRE2_ERROR_CALLOUT : 0;
}

pcre2_code* compile(const std::string& pattern, std::string* error) {
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                 PCRE2_AUTO_CALLOUT, &code, &offset, nullptr);
  if (!re && error) {
    PCRE2_UCHAR buffer[256];
    pcre2_get_error_message(code, buffer, sizeof buffer);
    *error = fmt::format("{} at character {}", reinterpret_cast<const char*>(buffer), offset + 1);
  }
  return re;
}

}  // namespace

struct TextRegex::Compiled {
  pcre2_code* code = nullptr;
  pcre2_match_context* context = nullptr;
  pcre2_jit_stack* jit_stack = nullptr;
  pcre2_match_data* data = nullptr;  // reused: `each` searches thousands of connections
  uint64_t pattern_length = 0;
  ~Compiled() {
    pcre2_match_data_free(data);
    pcre2_jit_stack_free(jit_stack);
    pcre2_match_context_free(context);
    pcre2_code_free(code);
  }
};

std::optional<std::string> TextRegex::problem(const std::string& pattern) {
  std::string error;
  pcre2_code* re = compile(pattern, &error);
  if (!re) return error;
  pcre2_code_free(re);
  return std::nullopt;
}

TextRegex::TextRegex(const std::string& pattern) : compiled_(std::make_unique<Compiled>()) {
  std::string error;
  compiled_->code = compile(pattern, &error);
  if (!compiled_->code) throw std::invalid_argument(error);
  compiled_->pattern_length = pattern.size();
  compiled_->context = pcre2_match_context_create(nullptr);
  if (!compiled_->context) throw std::bad_alloc();
  pcre2_set_match_limit(compiled_->context, match_limit);
  pcre2_set_heap_limit(compiled_->context, heap_limit_kib);
  // Compiled to machine code where PCRE2 can (several times faster), with a stack as big as
  // the interpreter's heap budget; without either, the interpreter runs.
  if (pcre2_jit_compile(compiled_->code, PCRE2_JIT_COMPLETE) == 0) {
    compiled_->jit_stack = pcre2_jit_stack_create(32 * 1024, heap_limit_kib * 1024, nullptr);
    if (compiled_->jit_stack)
      pcre2_jit_stack_assign(compiled_->context, nullptr, compiled_->jit_stack);
  }
  compiled_->data = pcre2_match_data_create_from_pattern(compiled_->code, nullptr);
  if (!compiled_->data) throw std::bad_alloc();
}

TextRegex::~TextRegex() = default;
TextRegex::TextRegex(TextRegex&&) noexcept = default;
TextRegex& TextRegex::operator=(TextRegex&&) noexcept = default;

RegexOutcome TextRegex::search(const std::string& bytes) const {
  WorkBudget budget;
  budget.limit = std::max<uint64_t>(min_work, (bytes.size() + 1) * compiled_->pattern_length *
                                                  work_per_byte_and_pattern_character);
  pcre2_set_callout(compiled_->context, count_work, &budget);
  int rc = pcre2_match(compiled_->code, reinterpret_cast<PCRE2_SPTR>(bytes.data()), bytes.size(), 0,
                       0, compiled_->data, compiled_->context);
  if (rc >= 0) return RegexOutcome::match;
  if (rc == PCRE2_ERROR_NOMATCH) return RegexOutcome::no_match;
  return RegexOutcome::too_complex;  // the work budget, match or depth limit, or heap exhausted
}

}  // namespace tcpgrade
