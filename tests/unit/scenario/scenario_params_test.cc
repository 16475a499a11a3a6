// Lab parameters: `${name}` replaced before the scenario is read, values given or drawn from
// the course secret, and the mistakes an instructor makes reported at their place.
#include "scenario/scenario_params.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "scenario/scenario_loader.h"

namespace tcpgrade {
namespace {

const std::string lab = R"(scenario: own-port
params:
  port: {default: 8002, range: [8100, 8899], describe: your port}
  page: {default: Hello, choices: [Alpha, Beta, Gamma]}
  fixed: same-for-all
conversation:
  server_port: ${port}
streams:
  - {id: page, dir: server->client, contains: "<h1>${page}</h1> ${fixed}"}
)";

std::string error_of(const std::string& yaml, const ParamValues& values = {}) {
  try {
    parse_scenario(yaml, "lab.yaml", {}, values);
  } catch (const ScenarioError& error) {
    return error.what();
  }
  return "";
}

TEST(ScenarioParams, DefaultsApplyWithoutValues) {
  Scenario s = parse_scenario(lab, "lab.yaml");
  EXPECT_EQ(s.conversation.server_port, 8002);
  ASSERT_EQ(s.streams.size(), 1u);
  EXPECT_EQ(s.streams[0].data.text, "<h1>Hello</h1> same-for-all");
  ASSERT_EQ(s.params.size(), 3u);
  EXPECT_EQ(s.params[0].name, "port");
  EXPECT_EQ(s.params[0].value, "8002");
  EXPECT_EQ(s.params[0].describe, "your port");
  EXPECT_EQ(s.params[2].value, "same-for-all");
}

TEST(ScenarioParams, GivenValuesReplaceEveryReference) {
  Scenario s = parse_scenario(lab, "lab.yaml", {}, {{"port", "8123"}, {"page", "Beta"}});
  EXPECT_EQ(s.conversation.server_port, 8123);
  EXPECT_EQ(s.streams[0].data.text, "<h1>Beta</h1> same-for-all");
}

TEST(ScenarioParams, AValueThatBreaksAFieldIsReportedThere) {
  EXPECT_EQ(error_of(lab, {{"port", "99999"}}),
            "lab.yaml:7:16: conversation.server_port: 99999 does not fit a TCP port (1..65535)");
}

TEST(ScenarioParams, UndeclaredNamesAreErrors) {
  EXPECT_EQ(error_of(lab, {{"prot", "8123"}}),
            "lab.yaml:3:3: a value is given for parameter 'prot', which params: does not "
            "declare (port, page and fixed)");
  EXPECT_EQ(error_of("scenario: x\nparams: {port: 1}\nstreams:\n  - {id: a, dir: "
                     "client->server, contains: \"${prot}\"}\n"),
            "lab.yaml:4:44: unknown parameter '${prot}': params: declares port");
  EXPECT_EQ(error_of("scenario: x\nstreams:\n  - {id: a, dir: client->server, contains: b}\n",
                     {{"port", "1"}}),
            "lab.yaml: a value is given for parameter 'port', but the scenario declares no "
            "params:");
}

// Without params:, nothing is replaced: scenarios written before params: read as they did.
TEST(ScenarioParams, NoParamsNoReplacement) {
  Scenario s = parse_scenario(
      "scenario: x\nstreams:\n  - {id: a, dir: client->server, contains: \"${port}\"}\n",
      "lab.yaml");
  EXPECT_EQ(s.streams[0].data.text, "${port}");
}

TEST(ScenarioParams, DeclarationMistakes) {
  const std::string streams = "streams:\n  - {id: a, dir: client->server, contains: b}\n";
  EXPECT_EQ(error_of("scenario: x\nparams:\n  port: {default: 1, range: [9, 2]}\n" + streams),
            "lab.yaml:3:29: range in parameter 'port': LOW 9 is above HIGH 2");
  EXPECT_EQ(error_of("scenario: x\nparams:\n  port: {range: [1, 2]}\n" + streams),
            "lab.yaml:3:9: missing key 'default' in parameter 'port' (the value a plain check "
            "uses)");
}

TEST(ScenarioParams, TextThatOnlyLooksLikeAReferenceStays) {
  Scenario s = parse_scenario(
      "scenario: x\nparams: {a: 1}\nstreams:\n  - {id: s, dir: client->server, contains: "
      "\"$ ${ ${} ${a\"}\n",
      "lab.yaml");
  EXPECT_EQ(s.streams[0].data.text, "$ ${ ${} ${a");
}

TEST(ScenarioParams, DerivedValuesAreDeterministicAndSpread) {
  Scenario s = parse_scenario(lab, "lab.yaml");
  ParamValues a = derive_param_values(s.params, "course-secret", "s001");
  EXPECT_EQ(a, derive_param_values(s.params, "course-secret", "s001"));
  EXPECT_NE(a, derive_param_values(s.params, "another-secret", "s001"));
  EXPECT_EQ(a.at("fixed"), "same-for-all");  // neither choices nor range: the default
  std::set<std::string> ports, pages;
  for (int i = 0; i < 300; ++i) {
    std::string student = std::to_string(1000 + i);  // (GCC 12 -O3 misreads "s" + to_string)
    ParamValues v = derive_param_values(s.params, "course-secret", student);
    int port = std::stoi(v.at("port"));
    EXPECT_GE(port, 8100);
    EXPECT_LE(port, 8899);
    ports.insert(v.at("port"));
    pages.insert(v.at("page"));
  }
  EXPECT_GT(ports.size(), 250u);  // 300 students over 800 ports: few share one
  EXPECT_EQ(pages.size(), 3u);    // every choice is used
}

TEST(ScenarioParams, ParamAssignment) {
  auto a = parse_param_assignment("page=a=b");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->first, "page");
  EXPECT_EQ(a->second, "a=b");
  EXPECT_FALSE(parse_param_assignment("=8123"));
  EXPECT_FALSE(parse_param_assignment("port"));
}

}  // namespace
}  // namespace tcpgrade
