#include "grade/capture_print_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <string>

namespace tcpgrade {

nlohmann::ordered_json capture_print_json(const CapturePrint& print) {
  nlohmann::ordered_json conversations = nlohmann::ordered_json::array();
  for (const ConversationPrint& c : print.conversations) {
    std::vector<std::string> keys;
    for (uint64_t key : c.segment_keys) keys.push_back(fmt::format("{:x}", key));
    conversations.push_back({{"endpoints", c.endpoints}, {"keys", keys}});
  }
  return conversations;
}

std::optional<CapturePrint> capture_print_from_json(const nlohmann::json& j) {
  if (!j.is_array()) return std::nullopt;
  CapturePrint print;
  for (const nlohmann::json& c : j) {
    if (print.conversations.size() == max_printed_conversations) break;
    if (!c.is_object() || !c.contains("endpoints") || !c["endpoints"].is_string() ||
        !c.contains("keys") || !c["keys"].is_array())
      return std::nullopt;
    ConversationPrint conversation;
    conversation.endpoints = c["endpoints"].get<std::string>();
    for (const nlohmann::json& key : c["keys"]) {
      if (conversation.segment_keys.size() == max_keys_per_conversation) break;
      if (!key.is_string()) return std::nullopt;
      const std::string& hex = key.get_ref<const std::string&>();
      uint64_t value = 0;
      auto [end, error] = std::from_chars(hex.data(), hex.data() + hex.size(), value, 16);
      if (error != std::errc() || end != hex.data() + hex.size()) return std::nullopt;
      conversation.segment_keys.push_back(value);
    }
    std::sort(conversation.segment_keys.begin(), conversation.segment_keys.end());
    conversation.segment_keys.erase(
        std::unique(conversation.segment_keys.begin(), conversation.segment_keys.end()),
        conversation.segment_keys.end());
    print.conversations.push_back(std::move(conversation));
  }
  return print;
}

}  // namespace tcpgrade
