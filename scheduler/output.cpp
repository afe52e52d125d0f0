#include "scheduler/output.hpp"
