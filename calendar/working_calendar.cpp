#include "calendar/working_calendar.hpp"
