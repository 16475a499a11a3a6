// The walkthrough's renderers keep hostile bytes (terminal escapes, markup) inert.
#include "report/walkthrough_render.h"

#include <gtest/gtest.h>

#include <string>

namespace tcpgrade {
namespace {

Walkthrough hostile() {
  Walkthrough w;
  w.capture = "evil\x1b[2J<script>.pcap";
  w.connections = {"stream 0: a → b"};
  WalkthroughPacket p;
  p.frame = 4;
  p.title = "Data (client → server)";
  p.summary_line = "4 0.000 x\x07";
  p.bullets = {"Payload: `<img src=x onerror=alert(1)>` and \xe2\x80\xae text"};
  w.packets.push_back(p);
  w.summary = {"1 frame"};
  return w;
}

TEST(WalkthroughRender, MarkdownAndTextHoldNoControlBytes) {
  for (const std::string& out :
       {render_walkthrough_markdown(hostile()), render_walkthrough_text(hostile())}) {
    EXPECT_EQ(out.find('\x1b'), std::string::npos);
    EXPECT_EQ(out.find('\x07'), std::string::npos);
    EXPECT_EQ(out.find("\xe2\x80\xae"), std::string::npos);
  }
  std::string md = render_walkthrough_markdown(hostile());
  EXPECT_NE(md.find("### Packet 4 – Data (client → server)"), std::string::npos);
  EXPECT_EQ(md.find("evil\\x1b[2J<script>"), std::string::npos);  // markup outside code escaped
  EXPECT_NE(md.find("\\<script\\>"), std::string::npos);
}

TEST(WalkthroughRender, HtmlEscapesMarkup) {
  std::string html = render_walkthrough_html(hostile());
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_EQ(html.find('\x1b'), std::string::npos);
  EXPECT_EQ(html.find("\xe2\x80\xae"), std::string::npos);  // the bidi override
}

TEST(WalkthroughRender, UnknownFormatThrows) {
  EXPECT_THROW(render_walkthrough(hostile(), "pdf"), std::invalid_argument);
}

}  // namespace
}  // namespace tcpgrade
