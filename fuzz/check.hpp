// A harness's own checks: what must hold for every input, beyond "no crash".
// A broken invariant aborts, so libFuzzer keeps the input as a crasher.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace xun::fuzz {

inline void require(bool holds, const char *what) {
  if (!holds) {
    std::fprintf(stderr, "fuzz: invariant broken: %s\n", what);
    std::abort();
  }
}

} // namespace xun::fuzz
