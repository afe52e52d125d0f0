#include "scheduler/schedule.hpp"
