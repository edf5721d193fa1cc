#pragma once
// Lead times of one link from its shipments: fixed when every shipment took
// the same number of periods, else uniform over a range of whole periods
// (the two forms the supply-chain env draws). The range's maximum-likelihood
// ends are the shortest and longest observed; their confidence intervals say
// how much shorter or longer the true ends could be given how many shipments
// were seen.
#include <cstdint>
#include <span>

#include "twins/estimate.h"

namespace twinrl {

struct LeadTimeFit {
  int64_t shipments = 0;
  bool fixed = true;  // every observed lead time equal
  Estimate shortest;  // stages.lead_time
  Estimate longest;   // stages.lead_time_max
  // Pearson's chi-square test of the uniform range: a small p-value says the
  // lead times are not uniform and the twin's range is an approximation.
  double uniform_p_value = 1;
};

// Fits lead times in whole periods; `confidence` of the intervals. With no
// shipments nothing is identified and `fallback_shortest`/`fallback_longest`
// (the twin's guess) are kept.
LeadTimeFit fit_lead_time(std::span<const int64_t> lead_times, double confidence,
                          int64_t fallback_shortest, int64_t fallback_longest);

}  // namespace twinrl
