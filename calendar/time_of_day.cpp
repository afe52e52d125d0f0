#include "calendar/time_of_day.hpp"
