#include "calendar/dates.hpp"
