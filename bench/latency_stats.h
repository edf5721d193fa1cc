#pragma once
/* Median and 99th percentile of per-call latencies, shared by the C and C++
 * latency benchmarks of exported policies. C99 and C++ alike. */
#include <stdio.h>
#include <stdlib.h>

static int latency_compare(const void* a, const void* b) {
  const double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

/* Sorts `ns` and prints "<label>: median X us, p99 Y us (N calls)". */
static void latency_report(const char* label, double* ns, int count) {
  qsort(ns, (size_t)count, sizeof(double), latency_compare);
  printf("%s: median %.3f us, p99 %.3f us (%d calls, batch 1)\n", label, ns[count / 2] / 1000.0,
         ns[(int)(count * 0.99)] / 1000.0, count);
}
