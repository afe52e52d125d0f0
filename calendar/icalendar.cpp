#include "calendar/icalendar.hpp"
