/* Latency per action of an exported C header policy, batch 1. Built by
 * bench/export_latency.sh with -DPOLICY_HEADER="path/to/policy.h". */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#include <time.h>

#include POLICY_HEADER
#include "latency_stats.h"

enum { kCalls = 200000 };

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(int argc, char** argv) {
  static double ns[kCalls];
  float observation[POLICY_OBSERVATION_SIZE], action[POLICY_ACTION_SIZE];
  float checksum = 0.0f;
  int call, i;
  for (call = 0; call < kCalls; ++call) {
    double start;
    /* A different observation each call, so nothing is hoisted out of the loop. */
    for (i = 0; i < POLICY_OBSERVATION_SIZE; ++i)
      observation[i] = 0.001f * (float)((call * 7 + i * 13) % 200 - 100);
    start = now_ns();
    policy_act(observation, action);
    ns[call] = now_ns() - start;
    checksum += action[0];
  }
  latency_report(argc > 1 ? argv[1] : "c", ns, kCalls);
  return checksum == 12345.0f; /* keeps the results live */
}
