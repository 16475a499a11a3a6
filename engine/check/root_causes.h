// Causes that explain many mismatches at once, found on the capture before any field is
// judged: the report says each once, at the top, and groups its consequences under it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/captured_conversation.h"
#include "report/report.h"
#include "scenario/root_cause_ids.h"
#include "scenario/scenario.h"

namespace tcpgrade {

// The root-cause ids (root_cause::wrong_port, ...) live in scenario/root_cause_ids.h: a
// scenario may give its own text for each.

// The scenario's lab in the words advice uses, from its live: section: the port, and the
// server and client to run ({port}, {address} and {host} filled in). The built-in server and
// client stand for what they imitate: python3 -m http.server PORT and curl.
struct LabFacts {
  uint16_t port = 0;
  std::string server;       // "python3 -m http.server 8002"; empty when nothing should listen
  std::string client;       // "curl http://127.0.0.1:8002/"
  bool own_server = false;  // the scenario names its own server command (not the built-in)
  bool keep_alive = false;  // the scenario expects several requests on one connection
};
// `captured_port`: the graded connection's server port, when the scenario names none.
LabFacts lab_facts(const Scenario& scenario, uint16_t captured_port);

// Causes seen in one graded conversation.
// Advice is phrased from the scenario's own facts (its live: server command and port).
std::vector<RootCause> diagnose_conversation(const CapturedConversation& conversation,
                                             const CaptureContents& contents,
                                             const Scenario& scenario);

// Causes of the capture as a whole, found by the grading driver.
// No connection matches the scenario; `lines` lists the capture's connections, `shown` is the
// one graded in its place. Over the other IP version than the scenario's (and on its port),
// the cause is wrong-family and names both; otherwise wrong-port.
RootCause wrong_port_cause(const Scenario& scenario, const std::vector<std::string>& lines,
                           const CapturedConversation& shown);
// Connections to other ports beside the graded one (stream `stream`, server port `port`).
RootCause other_traffic_cause(uint32_t stream, uint16_t port);
// The scenario expects the server to refuse the connection (its answer to the SYN is an RST),
// but the server answered SYN-ACK: something listened on the port.
std::optional<RootCause> connection_accepted_cause(const Scenario& scenario,
                                                   const CapturedConversation& c);
// Several connections to the scenario's server: the client ran more than once, or the server
// closed each connection after one response (`server_closed_each`) and the client reconnected.
RootCause several_connections_cause(bool best_fitting_graded, const Scenario& scenario,
                                    uint16_t server_port, bool server_closed_each);

// The scenario's own title and advice (`root_causes:`) in place of the built-in ones.
void apply_root_cause_texts(const Scenario& scenario, std::vector<RootCause>& causes);

}  // namespace tcpgrade
