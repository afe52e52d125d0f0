// Holiday sets: official days off and make-up working days (调休), by year.
#pragma once

#include "calendar/dates.hpp"

#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace xun::calendar {

struct HolidayDay {
  Date date;
  bool off = true;  // false: a make-up working day on a weekend
  std::string name; // the holiday it belongs to, e.g. "春节"
  friend bool operator==(const HolidayDay &, const HolidayDay &) = default;
};

// Thrown when a holiday set cannot be found or its data is malformed; the
// message names the file and what is wrong.
struct HolidayDataError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class HolidaySet {
public:
  HolidaySet() = default; // the empty set, "none"
  HolidaySet(std::string name, std::vector<HolidayDay> days, std::set<int> covered_years);

  const std::string &name() const { return name_; }
  bool empty() const { return days_.empty(); }
  // True when official data for that year exists (the arrangement is known).
  bool covers(int year) const { return covered_years_.contains(year); }
  const std::set<int> &covered_years() const { return covered_years_; }
  bool is_day_off(Date d) const;
  bool is_makeup_workday(Date d) const;
  const HolidayDay *find(Date d) const;
  const std::map<Date, HolidayDay> &days() const { return days_; }

private:
  std::string name_ = "none";
  std::map<Date, HolidayDay> days_;
  std::set<int> covered_years_;
};

// A year of a set's holiday data kept outside the data directory (a notice
// imported into the service): it stands in for that year's file.
struct HolidayYear {
  std::string set; // "cn"
  int year = 0;
  std::vector<HolidayDay> days;
};
using HolidayOverlay = std::vector<HolidayYear>;

// "none" gives the empty set; "cn" reads DATA_DIR/holidays/cn/*.json (the
// holiday-cn format), each year of `overlay` for that set replacing its file.
// Throws HolidayDataError for an unknown name or bad data.
HolidaySet load_holiday_set(const std::string &name, const std::filesystem::path &data_dir,
                            const HolidayOverlay &overlay = {});

// Parses one holiday-cn JSON document ({year, days: [{name, date, isOffDay}]}).
// `source` names the document in error messages.
std::vector<HolidayDay> parse_holiday_cn_json(const std::string &json_text,
                                              const std::string &source, int *year_out = nullptr);

} // namespace xun::calendar
