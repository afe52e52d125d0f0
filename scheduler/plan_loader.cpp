#include "scheduler/plan_loader.hpp"
