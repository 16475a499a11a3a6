#include "scenario/scenario.h"

#include <algorithm>

#include "scenario/scenario_properties.h"

namespace tcpgrade {
namespace {

// What Linux sends by default; a scenario refers to these as profile.mss, profile.ws, ...
// Loopback's MTU is 65536, but Linux caps the MSS at the largest IPv4 packet less the IP and
// TCP headers, 65535 - 40 = 65495; on Ethernet the MTU is 1500 and the MSS 1500 - 40.
const std::map<std::string, std::map<std::string, int64_t>>& profiles() {
  static const std::map<std::string, std::map<std::string, int64_t>> table = {
      {"any", {}},
      {"linux-ethernet", {{"mss", 1460}, {"sack_perm", 1}, {"ts", 1}, {"mtu", 1500}}},
      {"linux-loopback", {{"mss", 65495}, {"sack_perm", 1}, {"ts", 1}, {"mtu", 65536}}},
  };
  return table;
}

// Values that differ between Linux kernels: the window scale follows the largest receive
// buffer (tcp_rmem[2], rmem_max): shift 7 with the long-time 6 MB default, 9 or 10 with the
// larger buffers of newer kernels and tuned machines. The SYN's window is 65495 on loopback
// and 64240 (44 * 1460) on Ethernet since Linux 4.19; older kernels sent 43690 and 29200.
const std::map<std::string, std::map<std::string, ProfileRange>>& profile_range_table() {
  static const std::map<std::string, std::map<std::string, ProfileRange>> table = {
      {"any", {}},
      {"linux-ethernet", {{"ws", {7, 14}}, {"syn_window", {29200, 65535}}}},
      {"linux-loopback", {{"ws", {7, 14}}, {"syn_window", {43690, 65535}}}},
  };
  return table;
}

}  // namespace

const std::map<std::string, ProfileRange>* find_profile_ranges(const std::string& name) {
  auto it = profile_range_table().find(name);
  return it == profile_range_table().end() ? nullptr : &it->second;
}

const std::map<std::string, int64_t>* find_profile(const std::string& name) {
  auto it = profiles().find(name);
  return it == profiles().end() ? nullptr : &it->second;
}

std::vector<std::string> profile_names() {
  std::vector<std::string> names;
  for (const auto& [name, values] : profiles()) names.push_back(name);
  return names;
}

std::vector<FrameListVariant> frame_list_variants(const Scenario& scenario) {
  std::vector<FrameListVariant> out(1);
  size_t next = 0;  // frames copied so far
  auto copy_frames_until = [&](size_t end) {
    for (FrameListVariant& v : out)
      v.frames.insert(v.frames.end(), scenario.frames.begin() + next,
                      scenario.frames.begin() + end);
    next = end;
  };
  for (const FrameChoice& choice : scenario.choices) {
    copy_frames_until(std::min(choice.position, scenario.frames.size()));
    std::vector<FrameListVariant> grown;
    for (const FrameListVariant& base : out)
      for (const FrameVariant& variant : choice.variants) {
        FrameListVariant v = base;
        v.frames.insert(v.frames.end(), variant.frames.begin(), variant.frames.end());
        v.chosen.push_back(variant.title.empty() ? variant.name : variant.title);
        grown.push_back(std::move(v));
      }
    out = std::move(grown);
  }
  copy_frames_until(scenario.frames.size());
  return out;
}

double scenario_max_points(const Scenario& scenario) {
  double total = 0;
  std::vector<FrameListVariant> variants = frame_list_variants(scenario);
  for (const ExpectedFrame& frame : variants.front().frames) total += frame.points;
  for (const StreamExpectation& stream : scenario.streams) total += stream.points;
  for (const Claim& claim : scenario.claims) total += claim.points;
  if (scenario.properties) total += scenario.properties->max_points();
  return total;
}

std::vector<ScenarioCommand> scenario_commands(const LiveDefaults& live) {
  std::vector<ScenarioCommand> commands;
  if (live.server != "builtin" && live.server != "none")
    commands.push_back({"server", live.server});
  if (live.client != "builtin") commands.push_back({"client", live.client});
  return commands;
}

}  // namespace tcpgrade
