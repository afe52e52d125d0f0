#include "calendar/holidays.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace xun::calendar {

namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string &source, const std::string &pointer,
                       const std::string &what) {
  throw HolidayDataError(source + ": " + (pointer.empty() ? "/" : pointer) + ": " + what);
}

std::string describe(const json &value) {
  std::string text = value.dump();
  if (text.size() > 40)
    text = text.substr(0, 37) + "...";
  return std::string(value.type_name()) + " " + text;
}

std::string read_file(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw HolidayDataError(path.string() + ": cannot be read");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Subdirectories of DATA_DIR/holidays are the sets one can name, with "none".
std::vector<std::string> known_sets(const std::filesystem::path &root) {
  std::vector<std::string> names{"none"};
  std::error_code ec;
  if (std::filesystem::is_directory(root, ec)) {
    for (const auto &entry : std::filesystem::directory_iterator(root, ec))
      if (entry.is_directory())
        names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin() + 1, names.end());
  return names;
}

bool plain_name(const std::string &name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

} // namespace

HolidaySet::HolidaySet(std::string name, std::vector<HolidayDay> days, std::set<int> covered_years)
    : name_(std::move(name)), covered_years_(std::move(covered_years)) {
  for (auto &day : days)
    days_.insert_or_assign(day.date, std::move(day));
}

bool HolidaySet::is_day_off(Date d) const {
  const HolidayDay *day = find(d);
  return day && day->off;
}

bool HolidaySet::is_makeup_workday(Date d) const {
  const HolidayDay *day = find(d);
  return day && !day->off;
}

const HolidayDay *HolidaySet::find(Date d) const {
  auto it = days_.find(d);
  return it == days_.end() ? nullptr : &it->second;
}

std::vector<HolidayDay> parse_holiday_cn_json(const std::string &json_text,
                                              const std::string &source, int *year_out) {
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::parse_error &e) {
    throw HolidayDataError(source + ": not valid JSON (byte " + std::to_string(e.byte) +
                           "): " + e.what());
  }
  if (!doc.is_object())
    fail(source, "", "expected an object {year, days}, found " + describe(doc));

  const auto year_it = doc.find("year");
  if (year_it == doc.end())
    fail(source, "/year", "missing; expected the year of the notice, e.g. 2026");
  if (!year_it->is_number_integer())
    fail(source, "/year", "expected an integer year, found " + describe(*year_it));
  const auto year = year_it->get<long long>();
  if (year < 1 || year > 9999)
    fail(source, "/year", "year " + std::to_string(year) + " is out of range 1–9999");
  if (year_out)
    *year_out = static_cast<int>(year);

  const auto days_it = doc.find("days");
  if (days_it == doc.end())
    fail(source, "/days", "missing; expected a list of {name, date, isOffDay}");
  if (!days_it->is_array())
    fail(source, "/days", "expected a list, found " + describe(*days_it));

  std::vector<HolidayDay> days;
  days.reserve(days_it->size());
  for (std::size_t i = 0; i < days_it->size(); ++i) {
    const json &item = (*days_it)[i];
    const std::string at = "/days/" + std::to_string(i);
    if (!item.is_object())
      fail(source, at, "expected an object {name, date, isOffDay}, found " + describe(item));
    HolidayDay day;
    const auto name = item.find("name");
    if (name == item.end() || !name->is_string())
      fail(source, at + "/name",
           name == item.end() ? "missing; expected the holiday's name, e.g. \"春节\""
                              : "expected a string, found " + describe(*name));
    day.name = name->get<std::string>();
    const auto date_it = item.find("date");
    if (date_it == item.end() || !date_it->is_string())
      fail(source, at + "/date",
           date_it == item.end()
               ? "missing; expected a date like \"2026-02-15\""
               : "expected a date string like \"2026-02-15\", found " + describe(*date_it));
    const auto date = parse_iso_date(date_it->get<std::string>());
    if (!date)
      fail(source, at + "/date",
           "expected a valid date like \"2026-02-15\", found \"" + date_it->get<std::string>() +
               "\"");
    day.date = *date;
    const auto off = item.find("isOffDay");
    if (off == item.end() || !off->is_boolean())
      fail(source, at + "/isOffDay",
           off == item.end() ? "missing; expected true (day off) or false (make-up workday)"
                             : "expected true or false, found " + describe(*off));
    day.off = off->get<bool>();
    days.push_back(std::move(day));
  }
  return days;
}

HolidaySet load_holiday_set(const std::string &name, const std::filesystem::path &data_dir,
                            const HolidayOverlay &overlay) {
  if (name == "none")
    return HolidaySet{};
  const auto root = data_dir / "holidays";
  const auto dir = root / name;
  std::error_code ec;
  if (!plain_name(name) || !std::filesystem::is_directory(dir, ec)) {
    std::string list;
    for (const auto &known : known_sets(root))
      list += (list.empty() ? "" : ", ") + known;
    throw HolidayDataError("unknown holiday set \"" + name + "\" (looked in " + dir.string() +
                           "); known sets: " + list);
  }

  std::vector<std::filesystem::path> files;
  for (const auto &entry : std::filesystem::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      files.push_back(entry.path());
  // Sorted so a later notice overrides an earlier one the same way every run.
  std::sort(files.begin(), files.end());
  if (files.empty())
    throw HolidayDataError(dir.string() + ": no *.json files for holiday set \"" + name + "\"");

  std::vector<HolidayDay> all;
  std::set<int> covered;
  const auto add = [&](int year, std::vector<HolidayDay> days) {
    if (!days.empty())
      covered.insert(year);
    std::move(days.begin(), days.end(), std::back_inserter(all));
  };
  std::set<int> replaced;
  for (const auto &extra : overlay)
    if (extra.set == name)
      replaced.insert(extra.year);
  for (const auto &file : files) {
    int year = 0;
    auto days = parse_holiday_cn_json(read_file(file), file.string(), &year);
    if (!replaced.contains(year))
      add(year, std::move(days));
  }
  for (const auto &extra : overlay) // after the files, so they win any shared date
    if (extra.set == name)
      add(extra.year, extra.days);
  return HolidaySet(name, std::move(all), std::move(covered));
}

} // namespace xun::calendar
