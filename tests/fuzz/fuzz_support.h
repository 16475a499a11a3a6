// What the fuzz target bodies share: capture bytes as a file libpcap can open, the lab
// scenario, the outcomes that are answers (a clean error) rather than findings, and the split
// of one input into a scenario and a capture.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <utility>

#include "scenario/scenario.h"

namespace tcpgrade::fuzz {

// Bytes in an anonymous in-memory file (memfd), opened by path like any capture, so the
// fuzzers go through exactly the code `tcpgrade dump` and `check` run on a student's file.
class MemoryFile {
 public:
  MemoryFile(const uint8_t* data, size_t size);
  ~MemoryFile();
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

// scenarios/http-lab/session.yaml, loaded once, and the bytes of scenarios/http-lab/LEARN.pcap.
const Scenario& lab_session_scenario();
const std::string& lab_capture_bytes();

// The name fuzzed scenarios are parsed under: a file of tests/data/scenarios/, so that the
// seeds' `file: page.html` finds its payload as it does in the tests.
extern const std::string fuzz_scenario_file_name;

// True for the errors tcpgrade turns into a clean `tcpgrade: error: ...` line with exit 2:
// an unreadable capture, a bad scenario, a limit crossed. Anything else that escapes the
// engine (std::out_of_range, std::length_error, a logic_error, ...) is a finding.
bool is_clean_error(const std::exception& error);

// Input of the scenario + capture target: YAML, then the separator line, then capture bytes.
// Without a separator the whole input is the scenario and the capture is LEARN.pcap.
inline constexpr std::string_view capture_separator = "\n#capture\n";
std::pair<std::string_view, std::string_view> split_scenario_capture(std::string_view input);

}  // namespace tcpgrade::fuzz
