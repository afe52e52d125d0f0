#include "calendar/windows.hpp"
