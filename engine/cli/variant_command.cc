// `tcpgrade variant SCENARIO --student ID --variant-secret FILE`: a student's lab variant, as
// instructions to hand out (their port, page and path, and the commands to run), or as JSON for
// a course's own tooling. Exit 0, or 2 for a bad scenario, secret or option.
#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "check/root_causes.h"
#include "cli/commands.h"
#include "cli/limit_options.h"
#include "cli/variant_options.h"
#include "util/output_sink.h"

namespace tcpgrade::cli {
namespace {

struct VariantCommandOptions {
  std::string scenario;
  std::string format = "text";
  std::string output;
  VariantOptions variant;
  LimitOptions limits;
};

std::string render_text(const Scenario& scenario, const std::string& student) {
  std::string out = fmt::format("Lab variant of {} ({}){}\n", scenario.name, scenario.title,
                                student.empty() ? "" : " for student " + student);
  if (scenario.params.empty())
    out += "  This scenario declares no params: every student makes the same lab.\n";
  size_t width = 0;
  for (const ScenarioParam& p : scenario.params) width = std::max(width, p.name.size());
  for (const ScenarioParam& p : scenario.params)
    out += fmt::format("  {:<{}}  {}{}\n", p.name, width, p.value,
                       p.describe.empty() ? "" : "   (" + p.describe + ")");
  LabFacts lab = lab_facts(scenario, 0);
  out += "\nWhat to run, in three terminals:\n";
  int step = 1;
  if (!lab.server.empty()) out += fmt::format("  {}. the server:  {}\n", step++, lab.server);
  out += fmt::format("  {}. the capture: sudo tcpdump -i lo -w LEARN.pcap tcp port {}\n", step++,
                     lab.port);
  out += fmt::format("  {}. the client:  {}\n", step++, lab.client);
  out += "Stop tcpdump (Ctrl-C) once the client has finished, and hand in LEARN.pcap.\n";
  return out;
}

std::string render_json(const Scenario& scenario, const std::string& student) {
  nlohmann::ordered_json params = nlohmann::ordered_json::object();
  for (const ScenarioParam& p : scenario.params) params[p.name] = p.value;
  LabFacts lab = lab_facts(scenario, 0);
  nlohmann::ordered_json out = {
      {"scenario", scenario.name},
      {"student", student},
      {"params", params},
      {"commands",
       {{"server", lab.server},
        {"capture", fmt::format("sudo tcpdump -i lo -w LEARN.pcap tcp port {}", lab.port)},
        {"client", lab.client}}}};
  return out.dump(2) + "\n";
}

int run_variant(const VariantCommandOptions& options) {
  Scenario scenario =
      load_variant_scenario(options.scenario, options.limits.scenario, options.variant);
  std::string rendered = options.format == "json" ? render_json(scenario, options.variant.student)
                                                  : render_text(scenario, options.variant.student);
  OutputSink sink(options.output.empty() ? "-" : options.output);
  sink.write(rendered);
  sink.commit();
  return exit_pass;
}

}  // namespace

Subcommand add_variant_command(CLI::App& app) {
  auto options = std::make_shared<VariantCommandOptions>();
  CLI::App* variant = app.add_subcommand(
      "variant",
      "Print a student's lab variant (the scenario's params: drawn from the course secret): "
      "their values and the commands to run");
  variant->add_option("scenario", options->scenario, "scenario YAML file")->required();
  add_variant_options(variant, options->variant);
  variant->add_option("--format", options->format, "text (instructions) or json")
      ->check(CLI::IsMember({"text", "json"}));
  variant->add_option("-o,--output", options->output, "write to FILE instead of stdout");
  add_scenario_limit_options(variant, options->limits);
  return {variant, [options] { return run_variant(*options); }};
}

}  // namespace tcpgrade::cli
