// What a child process left behind, for a report to quote: `live` records its server and
// client with it, and the report shows it when the run went wrong.
#pragma once

#include <string>

namespace tcpgrade {

struct ProcessLog {
  std::string name;     // "server", "client"
  std::string command;  // as run, after substitution
  std::string status;   // "exited 0", "killed by signal 15", ...
  std::string stderr_tail;
};

}  // namespace tcpgrade
