#include "calendar/festivals.hpp"
