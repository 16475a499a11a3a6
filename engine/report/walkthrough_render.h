// Renderers of `tcpgrade explain`'s walkthrough: pure functions of the model, each escaping
// for its format (capture bytes and file names are hostile): markdown and text through
// terminal_safe, HTML escaped and valid UTF-8.
#pragma once

#include <string>

#include "analysis/walkthrough.h"

namespace tcpgrade {

std::string render_walkthrough_markdown(const Walkthrough& walkthrough);
std::string render_walkthrough_text(const Walkthrough& walkthrough);
std::string render_walkthrough_html(const Walkthrough& walkthrough);

// One of: markdown, text, html. Throws std::invalid_argument on another name.
std::string render_walkthrough(const Walkthrough& walkthrough, const std::string& format);

}  // namespace tcpgrade
