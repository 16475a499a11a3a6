#include "cli/suite_report.h"

#include <fmt/color.h>
#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <sstream>

#include "util/terminal_text.h"

namespace tcpgrade::cli {
namespace {

// "session.yaml: tcpdump -s 60": the scenario, then the case.
std::string case_title(const CaseOutcome& outcome) {
  const SuiteCase& test = *outcome.test;
  std::string scenario = std::filesystem::path(test.scenario).filename().string();
  return fmt::format("{}: {}", printable(scenario), printable(test.name));
}

std::string where(const SuiteCase& test) {
  return fmt::format("{}:{}:{}", test.where.file, test.where.line, test.where.column);
}

std::string count(size_t n, const char* noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

}  // namespace

SuiteTotals total(const std::vector<SuiteResults>& results) {
  SuiteTotals totals;
  for (const SuiteResults& suite : results)
    for (const CaseOutcome& outcome : suite.outcomes) {
      (outcome.passed ? totals.passed : totals.failed) += 1;
      totals.seconds += outcome.seconds;
    }
  return totals;
}

std::string render_suite_text(const std::vector<SuiteResults>& results, bool quiet, bool color) {
  auto paint = [color](const std::string& word, fmt::terminal_color hue) {
    return color ? fmt::format(fmt::fg(hue) | fmt::emphasis::bold, "{}", word) : word;
  };
  std::string out;
  for (const SuiteResults& suite : results) {
    out += fmt::format("suite {}: {} ({})\n", printable(suite.suite->name),
                       printable(suite.suite->file), count(suite.outcomes.size(), "case"));
    for (const CaseOutcome& outcome : suite.outcomes) {
      if (quiet && outcome.passed) continue;
      out += fmt::format("  {}  {} - expected {}; got {}\n",
                         outcome.passed ? paint("PASSED", fmt::terminal_color::green)
                                        : paint("FAILED", fmt::terminal_color::red),
                         case_title(outcome), to_string(outcome.test->expect), outcome.got);
      for (const std::string& problem : outcome.problems)
        out += fmt::format("          {}\n", problem);
      if (!outcome.passed)
        out += fmt::format("          case at {}; run: tcpgrade check {} {}\n",
                           printable(where(*outcome.test)), printable(outcome.test->scenario),
                           printable(outcome.test->capture));
    }
  }
  SuiteTotals totals = total(results);
  std::string summary = fmt::format("{} passed", totals.passed);
  if (totals.failed) summary = fmt::format("{} failed, {}", totals.failed, summary);
  out += fmt::format("== {} in {:.2f} s ==\n",
                     totals.failed ? paint(summary, fmt::terminal_color::red)
                                   : paint(summary, fmt::terminal_color::green),
                     totals.seconds);
  return out;
}

std::string render_suite_json(const std::vector<SuiteResults>& results) {
  nlohmann::ordered_json suites = nlohmann::ordered_json::array();
  for (const SuiteResults& suite : results) {
    nlohmann::ordered_json cases = nlohmann::ordered_json::array();
    for (const CaseOutcome& outcome : suite.outcomes) {
      const SuiteCase& test = *outcome.test;
      cases.push_back({{"name", test.name},
                       {"scenario", test.scenario},
                       {"capture", test.capture},
                       {"expect", to_string(test.expect)},
                       {"passed", outcome.passed},
                       {"got", outcome.got},
                       {"problems", outcome.problems},
                       {"where", where(test)},
                       {"seconds", outcome.seconds}});
    }
    suites.push_back({{"suite", suite.suite->name}, {"file", suite.suite->file}, {"cases", cases}});
  }
  SuiteTotals totals = total(results);
  nlohmann::ordered_json root = {{"passed", totals.passed},
                                 {"failed", totals.failed},
                                 {"seconds", totals.seconds},
                                 {"suites", suites}};
  // Ids and file names may hold any bytes: replaced, never a throw mid-report.
  return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string render_suite_junit(const std::vector<SuiteResults>& results) {
  pugi::xml_document document;
  pugi::xml_node all = document.append_child("testsuites");
  SuiteTotals totals = total(results);
  all.append_attribute("tests") = static_cast<unsigned long long>(totals.passed + totals.failed);
  all.append_attribute("failures") = static_cast<unsigned long long>(totals.failed);
  for (const SuiteResults& suite : results) {
    pugi::xml_node node = all.append_child("testsuite");
    SuiteTotals own = total({suite});
    node.append_attribute("name") = printable(suite.suite->name).c_str();
    node.append_attribute("tests") = static_cast<unsigned long long>(own.passed + own.failed);
    node.append_attribute("failures") = static_cast<unsigned long long>(own.failed);
    node.append_attribute("time") = fmt::format("{:.3f}", own.seconds).c_str();
    for (const CaseOutcome& outcome : suite.outcomes) {
      pugi::xml_node test = node.append_child("testcase");
      test.append_attribute("classname") = printable(suite.suite->name).c_str();
      test.append_attribute("name") = case_title(outcome).c_str();
      test.append_attribute("time") = fmt::format("{:.3f}", outcome.seconds).c_str();
      if (outcome.passed) continue;
      pugi::xml_node failure = test.append_child("failure");
      failure.append_attribute("message") = printable(outcome.got).c_str();
      std::string text;
      for (const std::string& problem : outcome.problems) text += printable(problem) + "\n";
      failure.text() = text.c_str();
    }
  }
  std::ostringstream out;
  document.save(out, "  ");
  return out.str();
}

}  // namespace tcpgrade::cli
