#include "check/scoring.h"

#include <string>

namespace tcpgrade {
namespace {

const double* find_weight(const std::map<std::string, double>& weights, std::string_view field) {
  auto it = weights.find(std::string(field));
  if (it == weights.end() && field.rfind("options.", 0) == 0) it = weights.find("options");
  return it == weights.end() ? nullptr : &it->second;
}

}  // namespace

double check_weight(const ScoringPolicy& policy, const PointRule& rule, std::string_view field) {
  if (const double* weight = find_weight(rule.weights, field)) return *weight;
  if (const double* weight = find_weight(policy.weights, field)) return *weight;
  return 1;
}

const std::string& scenario_hint(const ExpectedFrame& e, std::string_view field) {
  auto it = e.field_hints.find(std::string(field));
  if (it == e.field_hints.end() && field.rfind("options.", 0) == 0)
    it = e.field_hints.find("options");
  return it == e.field_hints.end() ? e.hint : it->second;
}

bool uniform_weights(const ScoringPolicy& policy, const PointRule& rule) {
  return policy.weights.empty() && rule.weights.empty();
}

std::vector<double> check_shares(const ScoringPolicy& policy, const PointRule& rule,
                                 double copy_points, const std::vector<std::string_view>& fields) {
  std::vector<double> weights;
  weights.reserve(fields.size() + 1);
  weights.push_back(check_weight(policy, rule, "present"));
  double total = weights.front();
  for (std::string_view field : fields) {
    weights.push_back(check_weight(policy, rule, field));
    total += weights.back();
  }
  if (total <= 0) {  // nothing weighs: being there earns the frame
    weights.assign(weights.size(), 0);
    weights.front() = total = 1;
  }
  for (double& weight : weights) weight = copy_points * weight / total;
  return weights;
}

}  // namespace tcpgrade
