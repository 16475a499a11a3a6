#include "live/lab_http.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace tcpgrade {
namespace {

// RFC 7231's IMF-fixdate, as Python's email.utils.formatdate(usegmt=True) writes it.
std::string http_date(long long unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} GMT", days[tm.tm_wday], tm.tm_mday,
                     months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

bool write_all(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// The server's identity as the lab document's capture shows it: 185 bytes of headers.
constexpr const char* server_header = "SimpleHTTP/0.6 Python/3.10.6";

}  // namespace

LabResponse lab_response(const std::string& www, const std::string& request_target, long long now) {
  namespace fs = std::filesystem;
  std::string target = request_target.substr(0, request_target.find_first_of("?#"));
  bool safe = target.find("..") == std::string::npos && !target.empty() && target[0] == '/';
  fs::path file = fs::path(www) / (target == "/" ? "index.html" : target.substr(1));
  std::error_code error;
  if (safe && fs::is_regular_file(file, error)) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    auto mtime = fs::last_write_time(file, error);
    long long modified = error ? now
                               : std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::file_clock::to_sys(mtime).time_since_epoch())
                                     .count();
    std::string type = file.extension() == ".html" ? "text/html" : "application/octet-stream";
    LabResponse r;
    r.body = body.str();
    r.headers = fmt::format(
        "HTTP/1.0 200 OK\r\nServer: {}\r\nDate: {}\r\nContent-type: {}\r\nContent-Length: {}\r\n"
        "Last-Modified: {}\r\n\r\n",
        server_header, http_date(now), type, r.body.size(), http_date(modified));
    return r;
  }
  LabResponse r;
  r.body =
      "<!DOCTYPE HTML>\n<html lang=\"en\">\n<head><title>Error response</title></head>\n"
      "<body><h1>Error response</h1><p>Error code: 404</p>"
      "<p>Message: File not found.</p></body>\n</html>\n";
  r.headers = fmt::format(
      "HTTP/1.0 404 File not found\r\nServer: {}\r\nDate: {}\r\nConnection: close\r\n"
      "Content-Type: text/html;charset=utf-8\r\nContent-Length: {}\r\n\r\n",
      server_header, http_date(now), r.body.size());
  return r;
}

std::string curl_request(const std::string& host_header) {
  return fmt::format("GET / HTTP/1.1\r\nHost: {}\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n",
                     host_header);
}

int run_lab_server(int listening, const std::string& www) {
  for (;;) {
    int connection = ::accept(listening, nullptr, nullptr);
    if (connection < 0) {
      if (errno == EINTR) continue;
      return 1;
    }
    std::string request;
    char buffer[4096];
    while (request.find("\r\n\r\n") == std::string::npos && request.size() < 65536) {
      ssize_t n = ::recv(connection, buffer, sizeof buffer, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      request.append(buffer, static_cast<size_t>(n));
    }
    size_t space = request.find(' ');
    size_t end = space == std::string::npos ? space : request.find(' ', space + 1);
    std::string target =
        end == std::string::npos ? "/" : request.substr(space + 1, end - space - 1);
    LabResponse response = lab_response(www, target, static_cast<long long>(std::time(nullptr)));
    // Two writes, as http.server does: headers flushed by end_headers(), then the file.
    if (write_all(connection, response.headers)) write_all(connection, response.body);
    ::close(connection);  // HTTP/1.0: the server closes first
  }
}

int run_lab_client(const std::string& address, unsigned port) {
  bool v6 = address.find(':') != std::string::npos;
  int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 7;
  int rc = -1;
  if (v6) {
    sockaddr_in6 sa{};
    sa.sin6_family = AF_INET6;
    sa.sin6_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET6, address.c_str(), &sa.sin6_addr);
    rc = ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  } else {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, address.c_str(), &sa.sin_addr);
    rc = ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  }
  if (rc != 0) {
    fmt::print(stderr, "client: failed to connect to {} port {}: {}\n", address, port,
               std::strerror(errno));
    ::close(fd);
    return 7;  // curl's "failed to connect"
  }
  std::string host =
      v6 ? fmt::format("[{}]:{}", address, port) : fmt::format("{}:{}", address, port);
  if (!write_all(fd, curl_request(host))) {
    ::close(fd);
    return 55;
  }
  size_t received = 0;
  char buffer[4096];
  for (;;) {
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    received += static_cast<size_t>(n);
  }
  ::close(fd);                   // after the server's FIN: the client closes second
  return received > 0 ? 0 : 52;  // curl's "empty reply from server"
}

}  // namespace tcpgrade
