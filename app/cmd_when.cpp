#include "app/commands.hpp"

#include <iostream>

namespace xun::app {

// Placeholder until the when command lands; exits 3 so nothing mistakes it for success.
int run_when(Args) {
  std::cerr << "xun when: not built yet\n";
  return 3;
}

} // namespace xun::app
