#include "live/network_namespace.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace tcpgrade {
namespace {

bool write_file(const char* path, const std::string& text) {
  int fd = ::open(path, O_WRONLY);
  if (fd < 0) return false;
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  return ok;
}

bool bring_loopback_up() {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  ifreq request{};
  std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
  bool ok = ::ioctl(fd, SIOCGIFFLAGS, &request) == 0;
  request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP | IFF_RUNNING);
  ok = ok && ::ioctl(fd, SIOCSIFFLAGS, &request) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

std::string enter_private_network(bool* isolated) {
  *isolated = false;
  if (::unshare(CLONE_NEWNET) != 0) {
    int first_error = errno;
    // Unprivileged: a user namespace first, mapping our uid to root inside it.
    uid_t uid = ::geteuid();
    gid_t gid = ::getegid();
    if (::unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0)
      return fmt::format(
          "host loopback in use: no private network namespace could be made ({}); "
          "other loopback traffic on the port may land in the capture",
          std::strerror(first_error));
    write_file("/proc/self/setgroups", "deny");
    write_file("/proc/self/uid_map", fmt::format("0 {} 1", uid));
    write_file("/proc/self/gid_map", fmt::format("0 {} 1", gid));
  }
  if (!bring_loopback_up())
    throw std::runtime_error(fmt::format("cannot bring up lo in the private network namespace: {}",
                                         std::strerror(errno)));
  *isolated = true;
  return "isolated: a private network namespace with its own lo (no other traffic can interfere)";
}

}  // namespace tcpgrade
