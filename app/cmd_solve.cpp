#include "app/commands.hpp"

#include <iostream>

namespace xun::app {

// Placeholder until the solve command lands; exits 3 so nothing mistakes it for success.
int run_solve(Args) {
  std::cerr << "xun solve: not built yet\n";
  return 3;
}

} // namespace xun::app
