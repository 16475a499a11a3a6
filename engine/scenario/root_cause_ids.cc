#include "scenario/root_cause_ids.h"

namespace tcpgrade {

const std::vector<std::string>& root_cause_ids() {
  static const std::vector<std::string> ids = {
      root_cause::wrong_port,          root_cause::another_students_lab,
      root_cause::wrong_family,        root_cause::handshake_not_captured,
      root_cause::connection_refused,  root_cause::connection_reset,
      root_cause::snap_length,         root_cause::several_connections,
      root_cause::other_traffic,       root_cause::file_cut_short,
      root_cause::absolute_numbers,    root_cause::not_closed,
      root_cause::connection_accepted, root_cause::frames_not_captured,
      root_cause::timestamps_off,      root_cause::sack_off,
      root_cause::window_scaling_off,  root_cause::mss_not_loopback,
      root_cause::http_version,        root_cause::keep_alive,
      root_cause::other_client,        root_cause::other_status,
      root_cause::other_path,
  };
  return ids;
}

}  // namespace tcpgrade
