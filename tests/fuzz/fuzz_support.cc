#include "fuzz_support.h"

#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <typeinfo>

#include "capture/capture_reader.h"
#include "scenario/scenario_loader.h"
#include "util/small_file.h"

#ifndef TCPGRADE_SOURCE_DIR
#error "TCPGRADE_SOURCE_DIR must name the source tree (for the lab scenario and capture)"
#endif

namespace tcpgrade::fuzz {

MemoryFile::MemoryFile(const uint8_t* data, size_t size) {
  fd_ = ::memfd_create("tcpgrade-fuzz-input", MFD_CLOEXEC);
  if (fd_ < 0) std::abort();  // the harness itself is broken: not a finding in the engine
  for (size_t written = 0; written < size;) {
    ssize_t n = ::write(fd_, data + written, size - written);
    if (n <= 0) std::abort();
    written += static_cast<size_t>(n);
  }
  path_ = fmt::format("/proc/self/fd/{}", fd_);
}

MemoryFile::~MemoryFile() { ::close(fd_); }

const std::string fuzz_scenario_file_name = TCPGRADE_SOURCE_DIR "/tests/data/scenarios/fuzzed.yaml";

const Scenario& lab_session_scenario() {
  static const Scenario scenario =
      load_scenario(TCPGRADE_SOURCE_DIR "/scenarios/http-lab/session.yaml");
  return scenario;
}

const std::string& lab_capture_bytes() {
  static const std::string bytes = [] {
    std::string reason;
    std::optional<std::string> read =
        read_small_file(TCPGRADE_SOURCE_DIR "/scenarios/http-lab/LEARN.pcap", 1 << 20, reason);
    if (!read) std::abort();
    return *read;
  }();
  return bytes;
}

bool is_clean_error(const std::exception& error) {
  // Exact types: every engine error about the input is one of these, and a subclass of
  // runtime_error from the library (e.g. std::range_error) is not.
  return dynamic_cast<const CaptureError*>(&error) || dynamic_cast<const ScenarioError*>(&error) ||
         typeid(error) == typeid(std::runtime_error);
}

std::pair<std::string_view, std::string_view> split_scenario_capture(std::string_view input) {
  size_t at = input.find(capture_separator);
  if (at == std::string_view::npos) return {input, lab_capture_bytes()};
  return {input.substr(0, at + 1), input.substr(at + capture_separator.size())};
}

}  // namespace tcpgrade::fuzz
