#include "grade/writeup_discovery.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace tcpgrade {
namespace {

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string extension_of(const std::string& lower_name) {
  size_t dot = lower_name.rfind('.');
  return dot == std::string::npos || dot == 0 ? "" : lower_name.substr(dot);
}

}  // namespace

bool has_writeup_extension(const std::string& file_name) {
  std::string extension = extension_of(lowercase(file_name));
  return extension == ".md" || extension == ".markdown" || extension == ".txt";
}

bool is_readme_name(const std::string& file_name) {
  std::string lower = lowercase(file_name);
  std::string extension = extension_of(lower);
  std::string stem = lower.substr(0, lower.size() - extension.size());
  return stem == "readme";
}

WriteupPick pick_writeup(std::vector<std::string> candidates) {
  std::sort(candidates.begin(), candidates.end());
  if (candidates.size() <= 1) return {candidates.empty() ? "" : candidates[0], ""};
  std::vector<std::string> not_readme;
  for (const std::string& name : candidates)
    if (!is_readme_name(name)) not_readme.push_back(name);
  if (not_readme.size() == 1) return {not_readme[0], ""};
  return {"", fmt::format("{} write-ups in the folder ({}); hand in one", candidates.size(),
                          fmt::join(candidates, ", "))};
}

bool is_writeup_column(const std::string& header) {
  std::string key;
  for (unsigned char c : header)
    if (!std::isspace(c) && c != '-' && c != '_') key += static_cast<char>(std::tolower(c));
  return key == "writeup" || key == "writeupfile";
}

}  // namespace tcpgrade
