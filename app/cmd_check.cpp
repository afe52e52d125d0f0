#include "app/commands.hpp"

#include <iostream>

namespace xun::app {

// Placeholder until the check command lands; exits 3 so nothing mistakes it for success.
int run_check(Args) {
  std::cerr << "xun check: not built yet\n";
  return 3;
}

} // namespace xun::app
