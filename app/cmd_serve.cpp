#include "app/commands.hpp"

#include <iostream>

namespace xun::app {

// Placeholder until the serve command lands; exits 3 so nothing mistakes it for success.
int run_serve(Args) {
  std::cerr << "xun serve: not built yet\n";
  return 3;
}

} // namespace xun::app
