// `tcpgrade gradebook merge SHARD_DIR... -o OUT`: the shards a class was graded in
// (`grade --shard K/N`, one --out folder each, on as many machines) joined into one gradebook,
// the one a single `grade` run would have written: gradebook.csv, gradebook.json, summary.txt,
// the --lms exports and reports/, with copy detection over the whole class. Exit 0 when the
// gradebook is written, 2 when a shard is missing, given twice or of another class.
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <stdexcept>

#include "cli/commands.h"
#include "cli/lms_options.h"
#include "grade/gradebook_merge.h"
#include "grade/gradebook_output.h"
#include "util/terminal_text.h"

namespace tcpgrade::cli {
namespace {

namespace fs = std::filesystem;

struct MergeOptions {
  std::vector<std::string> shards;
  std::string out;
  LmsOptions lms;
};

// OUT's reports are copied from the shards' own: OUT must be none of their folders.
void refuse_out_among_shards(const MergeOptions& options) {
  std::error_code error;
  fs::path out = fs::weakly_canonical(options.out, error);
  for (const std::string& shard : options.shards) {
    fs::path folder = fs::weakly_canonical(shard, error);
    fs::path relative = out.lexically_relative(folder);
    if (!relative.empty() && *relative.begin() != "..")
      throw std::runtime_error(
          fmt::format("{}: -o {} is the shard folder or lies inside it; choose a folder of its own",
                      shard, options.out));
  }
}

int run_merge(const MergeOptions& options) {
  MergedClass merged = merge_shards({options.shards.begin(), options.shards.end()});
  refuse_out_among_shards(options);
  std::optional<Roster> roster = read_roster_option(options.lms);
  fs::path out(options.out);
  fs::create_directories(out / "reports");
  std::error_code ignored;
  for (const std::string& name : gradebook_file_names()) fs::remove(out / name, ignored);
  copy_shard_reports(merged, out / "reports");
  std::string text = publish_gradebook(out, merged.whole.scenario, merged.whole.max, merged.rows,
                                       lms_exports(options.lms, roster ? &*roster : nullptr));
  fmt::print("{}\ngradebook: {} (merged from {} shards)\n", text,
             terminal_safe((out / "gradebook.csv").string()), options.shards.size());
  return exit_pass;
}

}  // namespace

Subcommand add_gradebook_command(CLI::App& app) {
  CLI::App* gradebook = app.add_subcommand(
      "gradebook", "Work on gradebooks that grade wrote: merge the shards of a class");
  gradebook->require_subcommand(1);
  auto options = std::make_shared<MergeOptions>();
  CLI::App* merge = gradebook->add_subcommand(
      "merge",
      "Join the shards of a class (grade --shard K/N, one --out folder each) into the gradebook "
      "and reports one grade run would have written, with copy detection over the whole class "
      "(exit 0 when written, 2 when a shard is missing, repeated or of another class)");
  merge->add_option("shards", options->shards, "each shard's --out folder (all N of them)")
      ->required();
  merge
      ->add_option("-o,--out", options->out,
                   "where gradebook.csv, gradebook.json, summary.txt, the --lms files and "
                   "reports/ go")
      ->required();
  add_lms_options(merge, options->lms);
  return {gradebook, [options] { return run_merge(*options); }};
}

}  // namespace tcpgrade::cli
