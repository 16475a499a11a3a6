#include "scenario.h"

namespace tcpgrade {
namespace {

// What Linux sends by default; a scenario refers to these as profile.mss, profile.ws, ...
// Loopback's MTU is 65536, but Linux caps the MSS at the largest IPv4 packet less the IP and
// TCP headers, 65535 - 40 = 65495; on Ethernet the MTU is 1500 and the MSS 1500 - 40.
const std::map<std::string, std::map<std::string, int64_t>>& profiles() {
  static const std::map<std::string, std::map<std::string, int64_t>> table = {
      {"any", {}},
      {"linux-ethernet",
       {{"mss", 1460},
        {"ws", 7},
        {"syn_window", 64240},
        {"sack_perm", 1},
        {"ts", 1},
        {"mtu", 1500}}},
      {"linux-loopback",
       {{"mss", 65495},
        {"ws", 7},
        {"syn_window", 65495},
        {"sack_perm", 1},
        {"ts", 1},
        {"mtu", 65536}}},
  };
  return table;
}

}  // namespace

const std::map<std::string, int64_t>* find_profile(const std::string& name) {
  auto it = profiles().find(name);
  return it == profiles().end() ? nullptr : &it->second;
}

std::vector<std::string> profile_names() {
  std::vector<std::string> names;
  for (const auto& [name, values] : profiles()) names.push_back(name);
  return names;
}

}  // namespace tcpgrade
