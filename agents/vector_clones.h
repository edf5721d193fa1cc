#pragma once
// Marks a hot loop's function to be compiled for AVX-512, AVX2 and plain
// x86-64, the widest the CPU has picked when the program loads. The build
// targets plain x86-64 so that binaries run anywhere; the arithmetic is the
// same in every clone (no FMA contraction under -std=c++20), only wider.
// Sanitizer builds keep one plain version: their runtimes start after the
// load-time choice would run.
#if defined(__x86_64__) && !defined(__SANITIZE_THREAD__) && !defined(__SANITIZE_ADDRESS__)
#define TWINRL_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define TWINRL_VECTOR_CLONES
#endif
