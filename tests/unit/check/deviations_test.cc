// Deviations from the lab's setup, on hand-built conversations: another machine's TCP
// settings, another interface, another HTTP server or client. Each is named with its setting.

#include "check/deviations.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tcpgrade {
namespace {

constexpr uint16_t SYN = 0x02, ACK = 0x10, PSH = 0x08;

// Linux's SYN options on the loopback: MSS 65495, SACK_PERM, timestamps, WS.
TcpOptions linux_options() {
  TcpOptions o;
  o.mss = 65495;
  o.sack_permitted = true;
  o.tsval = 1;
  o.tsecr = 0;
  o.window_scale = 10;
  return o;
}

struct Builder {
  CapturedConversation c;
  uint32_t next[2] = {1, 1};
  Builder() { c.summary.client.address.family = 4; }
  void syns(const TcpOptions& client, const TcpOptions& server) {
    add(Direction::client_to_server, SYN, "", &client);
    add(Direction::server_to_client, SYN | ACK, "", &server);
  }
  void add(Direction d, uint16_t flags, const std::string& payload,
           const TcpOptions* options = nullptr) {
    CapturedSegment s;
    s.frame = c.segments.size() + 1;
    s.direction = d;
    s.flags = flags;
    uint32_t& n = next[d == Direction::server_to_client];
    s.seq = (flags & SYN) ? 0 : n;
    s.payload = payload;
    s.len = static_cast<uint32_t>(payload.size());
    n = s.seq + s.len + ((flags & SYN) ? 1 : 0);
    if (options) s.options = *options;
    c.segments.push_back(s);
  }
  void http(const std::string& request, const std::string& response) {
    add(Direction::client_to_server, PSH | ACK, request);
    add(Direction::server_to_client, PSH | ACK, response);
  }
};

const std::string curl_request =
    "GET / HTTP/1.1\r\nHost: 127.0.0.1:8002\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n";
const std::string lab_response =
    "HTTP/1.0 200 OK\r\nServer: SimpleHTTP/0.6 Python/3.11.2\r\nContent-Length: 33\r\n\r\n"
    "<h1>TCP HANDSHAKE Learning</h1>\n\n";

// The built-in lab's facts: a scenario without live: on the lab's port.
const LabFacts& builtin_lab() {
  static const Scenario scenario;
  static const LabFacts lab = lab_facts(scenario, 8002);
  return lab;
}

std::vector<std::string> ids(const std::vector<RootCause>& causes) {
  std::vector<std::string> out;
  for (const RootCause& c : causes) out.push_back(c.id);
  return out;
}

TEST(Deviations, LabExchangeHasNone) {
  Builder b;
  b.syns(linux_options(), linux_options());
  b.http(curl_request, lab_response);
  EXPECT_TRUE(diagnose_deviations(b.c, builtin_lab()).empty());
}

TEST(Deviations, TimestampsOffNamesTheSysctl) {
  TcpOptions o = linux_options();
  o.tsval.reset();
  o.tsecr.reset();
  Builder b;
  b.syns(o, o);
  std::vector<RootCause> causes = diagnose_deviations(b.c, builtin_lab());
  ASSERT_EQ(ids(causes), std::vector<std::string>{root_cause::timestamps_off});
  EXPECT_NE(causes[0].explanation.find("net.ipv4.tcp_timestamps=0"), std::string::npos);
  EXPECT_NE(causes[0].explanation.find("sysctl -w net.ipv4.tcp_timestamps=1"), std::string::npos);
  EXPECT_EQ(cause_for_field(causes, "options.ts"), root_cause::timestamps_off);
  EXPECT_EQ(cause_for_field(causes, "options.mss"), "");
  EXPECT_EQ(cause_for_field(causes, "payload"), "");
}

TEST(Deviations, SackAndWindowScalingOff) {
  TcpOptions o = linux_options();
  o.sack_permitted = false;
  o.window_scale.reset();
  Builder b;
  b.syns(o, o);
  std::vector<RootCause> causes = diagnose_deviations(b.c, builtin_lab());
  EXPECT_EQ(ids(causes),
            (std::vector<std::string>{root_cause::sack_off, root_cause::window_scaling_off}));
  EXPECT_NE(causes[0].explanation.find("net.ipv4.tcp_sack"), std::string::npos);
  EXPECT_NE(causes[1].explanation.find("net.ipv4.tcp_window_scaling"), std::string::npos);
  EXPECT_EQ(cause_for_field(causes, "options.ws"), root_cause::window_scaling_off);
  EXPECT_EQ(cause_for_field(causes, "options.sack_perm"), root_cause::sack_off);
}

TEST(Deviations, OptionOnOneSideOnlyIsNoSettingOfThisMachine) {
  TcpOptions off = linux_options();
  off.tsval.reset();
  Builder b;
  b.syns(linux_options(), off);  // the client sent it: the machine's setting is on
  EXPECT_TRUE(diagnose_deviations(b.c, builtin_lab()).empty());
}

TEST(Deviations, OptionsCutBySnapLengthAreNotJudged) {
  TcpOptions o = linux_options();
  o.tsval.reset();
  Builder b;
  b.syns(o, o);
  b.c.segments[0].options_complete = false;
  EXPECT_TRUE(diagnose_deviations(b.c, builtin_lab()).empty());
}

TEST(Deviations, MssOfAnotherInterface) {
  TcpOptions o = linux_options();
  o.mss = 1460;
  Builder b;
  b.syns(o, o);
  std::vector<RootCause> causes = diagnose_deviations(b.c, builtin_lab());
  ASSERT_EQ(ids(causes), std::vector<std::string>{root_cause::mss_not_loopback});
  EXPECT_NE(causes[0].explanation.find("MTU of about 1500"), std::string::npos);
  // IPv6 on lo: 65476 is loopback's.
  Builder v6;
  v6.c.summary.client.address.family = 6;
  o.mss = 65476;
  v6.syns(o, o);
  EXPECT_TRUE(diagnose_deviations(v6.c, builtin_lab()).empty());
}

TEST(Deviations, Http11KeepAlive) {
  std::string response =
      "HTTP/1.1 200 OK\r\nServer: SimpleHTTP/0.6 Python/3.11.2\r\nContent-Length: 33\r\n\r\n"
      "<h1>TCP HANDSHAKE Learning</h1>\n\n";
  Builder b;
  b.syns(linux_options(), linux_options());
  b.http(curl_request, response);
  b.http(curl_request, response);
  std::vector<RootCause> causes = diagnose_deviations(b.c, builtin_lab());
  ASSERT_EQ(ids(causes),
            (std::vector<std::string>{root_cause::http_version, root_cause::keep_alive}));
  EXPECT_NE(causes[0].title.find("HTTP/1.1"), std::string::npos);
  EXPECT_NE(causes[0].explanation.find("HTTP/1.0"), std::string::npos);
  EXPECT_NE(causes[1].explanation.find("2 requests"), std::string::npos);
  EXPECT_EQ(cause_for_field(causes, "payload"), root_cause::http_version);
  EXPECT_EQ(cause_for_field(causes, "data"), root_cause::http_version);
  EXPECT_EQ(cause_for_field(causes, "frame"), root_cause::keep_alive);
}

TEST(Deviations, OtherClientStatusAndPath) {
  Builder b;
  b.syns(linux_options(), linux_options());
  b.http("GET /missing.html HTTP/1.1\r\nUser-Agent: Wget/1.21.3\r\nHost: x\r\n\r\n",
         "HTTP/1.0 404 File not found\r\nContent-Length: 0\r\n\r\n");
  std::vector<RootCause> causes = diagnose_deviations(b.c, builtin_lab());
  EXPECT_EQ(ids(causes), (std::vector<std::string>{root_cause::other_status, root_cause::other_path,
                                                   root_cause::other_client}));
  EXPECT_NE(causes[2].title.find("Wget/1.21.3"), std::string::npos);
  // The built-in lab's words: python3 -m http.server and curl, on the port.
  EXPECT_NE(causes[0].explanation.find("Start `python3 -m http.server 8002` in the folder of the "
                                       "lab's page, then run `curl http://127.0.0.1:8002/`."),
            std::string::npos)
      << causes[0].explanation;
}

// Issue 14: the advice names the scenario's own server and client, not the bundled lab's.
TEST(Deviations, AdviceNamesTheScenariosServerAndClient) {
  Scenario scenario;
  scenario.live.server = "python3 -m http.server {port} --bind {address}";
  scenario.live.client = "wget -qO- http://{host}:{port}/page.html";
  scenario.live.port = 9000;
  scenario.live.address = "::1";
  LabFacts lab = lab_facts(scenario, 8002);
  EXPECT_EQ(lab.port, 9000);
  EXPECT_EQ(lab.server, "python3 -m http.server 9000 --bind ::1");
  EXPECT_EQ(lab.client, "wget -qO- http://[::1]:9000/page.html");
  Builder b;
  b.syns(linux_options(), linux_options());
  b.http("GET /missing.html HTTP/1.1\r\nUser-Agent: curl/7.88.1\r\nHost: x\r\n\r\n",
         "HTTP/1.0 404 File not found\r\nContent-Length: 0\r\n\r\n");
  std::vector<RootCause> causes = diagnose_deviations(b.c, lab);
  ASSERT_EQ(ids(causes),
            (std::vector<std::string>{root_cause::other_status, root_cause::other_path}));
  EXPECT_NE(causes[0].explanation.find("Start `python3 -m http.server 9000 --bind ::1`, then run "
                                       "`wget -qO- http://[::1]:9000/page.html`."),
            std::string::npos)
      << causes[0].explanation;
  EXPECT_EQ(causes[1].explanation.find("8002"), std::string::npos) << causes[1].explanation;
}

TEST(Deviations, NotHttpIsNotJudged) {
  Builder b;
  b.syns(linux_options(), linux_options());
  b.http("SSH-2.0-OpenSSH_9.2\r\n", "SSH-2.0-OpenSSH_9.2\r\n");
  EXPECT_TRUE(diagnose_deviations(b.c, builtin_lab()).empty());
}

TEST(Deviations, ReadsOnlyTheStartOfAHugeStream) {
  Builder b;
  b.syns(linux_options(), linux_options());
  b.http(curl_request + std::string(1 << 20, 'x'), lab_response);
  EXPECT_TRUE(diagnose_deviations(b.c, builtin_lab()).empty());
}

}  // namespace
}  // namespace tcpgrade
