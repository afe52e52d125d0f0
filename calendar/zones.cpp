#include "calendar/zones.hpp"
