// The lab's two programs, built in, so `tcpgrade live` runs on a machine without Python or
// curl: an HTTP/1.0 file server that writes like Python's http.server (status line and headers
// in one write, the body in the next, then it closes first) and a client that sends curl's GET
// and reads until the server closes.
#pragma once

#include <string>

namespace tcpgrade {

// The bytes http.server writes for `request_target` under `www`: the headers, then the body.
struct LabResponse {
  std::string headers, body;
};
LabResponse lab_response(const std::string& www, const std::string& request_target,
                         long long now_unix_seconds);

// curl 7.88's request line and headers for GET / (78 bytes for 127.0.0.1:8002).
std::string curl_request(const std::string& host_header);

// Serves connections on the listening socket until killed. Returns an exit status.
int run_lab_server(int listening_socket, const std::string& www);

// Connects to address:port, sends curl's GET, reads the response until the server closes,
// then closes. Returns 0 when a response came back.
int run_lab_client(const std::string& address, unsigned port);

}  // namespace tcpgrade
