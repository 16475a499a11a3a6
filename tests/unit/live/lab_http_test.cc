// The built-in lab programs write what the lab's capture shows: curl's 78-byte GET and
// http.server's 185 bytes of headers then the 33-byte page.
#include "live/lab_http.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "live/live_session.h"

namespace tcpgrade {
namespace {

const std::string www =
    (std::filesystem::path(TCPGRADE_SOURCE_DIR) / "scenarios" / "http-lab" / "www").string();

TEST(LabHttp, CurlsGetIs78BytesOnTheLabsPort) {
  std::string request = curl_request("127.0.0.1:8002");
  EXPECT_EQ(request.size(), 78u);
  EXPECT_EQ(request.rfind("GET / HTTP/1.1\r\nHost: 127.0.0.1:8002\r\n", 0), 0u);
}

TEST(LabHttp, ServerWritesHeadersOf185BytesThenThePage) {
  LabResponse response = lab_response(www, "/", 1795000000);
  EXPECT_EQ(response.headers.size(), 185u) << response.headers;
  EXPECT_EQ(
      response.headers.rfind("HTTP/1.0 200 OK\r\nServer: SimpleHTTP/0.6 Python/3.10.6\r\n", 0), 0u);
  EXPECT_NE(response.headers.find("Date: Wed, 18 Nov 2026 11:06:40 GMT\r\n"), std::string::npos);
  EXPECT_NE(response.headers.find("Content-Length: 33\r\n"), std::string::npos);
  EXPECT_EQ(response.body, "<h1>TCP HANDSHAKE Learning</h1>\n\n");
}

TEST(LabHttp, MissingFilesAndEscapesAre404) {
  EXPECT_EQ(
      lab_response(www, "/nothing.html", 0).headers.rfind("HTTP/1.0 404 File not found\r\n", 0),
      0u);
  EXPECT_EQ(lab_response(www, "/../../etc/passwd", 0).headers.rfind("HTTP/1.0 404", 0), 0u);
  EXPECT_EQ(lab_response(www, "/index.html?x=1", 0).body.size(), 33u);
}

TEST(LiveSession, CommandsGetPortAddressAndHost) {
  EXPECT_EQ(expand_command("python3 -m http.server {port} --bind {address}", 8002, "::1"),
            "python3 -m http.server 8002 --bind ::1");
  EXPECT_EQ(expand_command("curl -s http://{host}:{port}/", 8002, "::1"),
            "curl -s http://[::1]:8002/");
  EXPECT_EQ(expand_command("curl http://{host}:{port}/{port}", 80, "127.0.0.1"),
            "curl http://127.0.0.1:80/80");
}

}  // namespace
}  // namespace tcpgrade
