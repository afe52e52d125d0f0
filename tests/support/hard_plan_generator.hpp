// Seeded plans of the shape of data/instances/tight-1000 (tight: people busy up
// to ~70% of working half-days, windows of ~5 working days, chains with
// maximum lags, some `max_gap: 0d`, all-day chains, fixed events, a few
// repeats) or a loose shape (~30% busy, windows of weeks and months, fewer
// chains). Each plan is built around a hidden witness schedule that keeps
// every hard rule of PLAN.md: the witness is placed first, and windows and
// gaps are then drawn around it, so a schedule exists by construction.
// Plans come as YAML text; the witness as schedule JSON (PLAN.md §5 fields
// that the checker reads).
#pragma once

#include "calendar/dates.hpp"
#include "calendar/working_calendar.hpp"
#include "scheduler/schedule.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace xun::testing {

struct HardPlanOptions {
  bool tight = true;
  int occurrences = 1000; // about this many in total
  unsigned seed = 1;
};

struct HardPlanStats {
  int activities = 0;
  int occurrences = 0;
  int people = 0;
  int rooms = 0;
  int groups = 0;
  int after_rules = 0;
  int after_with_max_gap = 0;
  int zero_max_gaps = 0;
  int all_day = 0; // occurrences
  int timed = 0;
  int fixed = 0;
  int repeating_activities = 0;
  double busiest_share = 0;         // of working half-days, in the witness
  double mean_share = 0;            // over all people
  double median_window_days = 0;    // calendar days, single-occurrence activities
  double median_window_working = 0; // working days, likewise
};

// One witness occurrence; times are minutes from Jan 1 00:00 of the year.
struct WitnessOccurrence {
  std::string activity;
  int index = 0;
  bool all_day = false;
  long start = 0;
  long end = 0;
};

struct HardPlan {
  std::string yaml;
  std::vector<WitnessOccurrence> witness; // sorted by start, then id
  HardPlanStats stats;
};

namespace hard_detail {

constexpr long day_minutes = 1440;
constexpr int morning_from = 9 * 60, morning_to = 12 * 60;
constexpr int afternoon_from = 14 * 60, afternoon_to = 17 * 60;

inline std::string pad3(int v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%03d", v);
  return buf;
}

inline std::string gap_text(long minutes_value, bool round_up) {
  // Days when the gap is a day or more, hours below; rounded the safe way.
  if (minutes_value == 0)
    return "0d";
  if (minutes_value >= day_minutes) {
    const long d =
        round_up ? (minutes_value + day_minutes - 1) / day_minutes : minutes_value / day_minutes;
    return std::to_string(d) + "d";
  }
  const long h = round_up ? (minutes_value + 59) / 60 : minutes_value / 60;
  return h == 0 ? "0d" : std::to_string(h) + "h";
}

inline long gap_minutes(const std::string &text) {
  const long v = std::stol(text.substr(0, text.size() - 1));
  return text.back() == 'd' ? v * day_minutes : v * 60;
}

inline std::string duration_text(long minutes_value, bool all_day) {
  if (all_day)
    return std::to_string(minutes_value / day_minutes) + "d";
  if (minutes_value % 60 == 0)
    return std::to_string(minutes_value / 60) + "h";
  if (minutes_value > 60)
    return std::to_string(minutes_value / 60) + "h" + std::to_string(minutes_value % 60) + "m";
  return std::to_string(minutes_value) + "m";
}

const char *const family_names[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                    "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"};
const char *const given_names[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
                                   "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平"};
const char *const cn_months[] = {"1月", "2月", "3月", "4月",  "5月",  "6月",
                                 "7月", "8月", "9月", "10月", "11月", "12月"};
const char *const cn_quarters[] = {"一季度", "二季度", "三季度", "四季度"};

// The generator proper: a witness calendar of every person and room, and the
// plan text written around it.
class Builder {
public:
  Builder(const HardPlanOptions &opt, const calendar::WorkingCalendar &cal)
      : opt_(opt), cal_(cal), rng_(opt.seed * 7919u + (opt.tight ? 1u : 2u)) {
    jan1_ = calendar::first_day_of_month(2026, 1);
    days_ = static_cast<int>((calendar::last_day_of_month(2026, 12) - jan1_).count()) + 1;
    for (int d = 0; d < days_; ++d) {
      working_.push_back(cal_.is_working_day(date_of(d)));
      if (working_.back())
        work_index_[d] = static_cast<int>(work_days_.size()), work_days_.push_back(d);
    }
    // Branches of about 25 people (the tight-1000 office); a branch carries
    // about `per_branch` occurrences of the shape's mix.
    const double per_branch = opt_.tight ? 1000.0 : 480.0;
    branches_ = std::max(1, static_cast<int>(opt_.occurrences / per_branch + 0.5));
    const double people_per_branch = 25.0 * opt_.occurrences / (per_branch * branches_);
    branch_people_ = std::max(8, static_cast<int>(people_per_branch + 0.5));
    scale_ = opt_.occurrences / (per_branch * branches_) * (opt_.tight ? 1.0 : 1.0);
    cap_share_ = opt_.tight ? 0.70 : 0.30;
  }

  HardPlan build();

private:
  struct Act {
    std::string id, title, kind;
    std::string when;         // as written
    std::string repeat;       // as written ("" = none)
    std::string at;           // "" = none
    int count = 0;            // 0 = none
    std::string min_gap_self; // between own occurrences
    long duration = 120;
    bool all_day = false;
    bool busy = true;
    std::vector<std::string> attendees; // as written
    std::vector<int> people;            // expanded
    int room = -1;
    std::vector<std::string> after;         // YAML flow items
    std::vector<std::pair<long, long>> occ; // witness
    bool single() const { return occ.size() == 1 && repeat.empty() && count == 0; }
  };

  calendar::Date date_of(int d) const { return jan1_ + date::days{d}; }
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  template <class T> const T &pick(const std::vector<T> &v) {
    return v[static_cast<std::size_t>(uniform(0, static_cast<int>(v.size()) - 1))];
  }

  // Occupancy: per resource and day, minute-of-day intervals.
  std::vector<std::pair<int, int>> &slots(int resource, int d) {
    return occupancy_[static_cast<std::size_t>(resource) * static_cast<std::size_t>(days_) +
                      static_cast<std::size_t>(d)];
  }
  static int halves_of(int from, int to) {
    return (from < morning_to && to > morning_from ? 1 : 0) |
           (from < afternoon_to && to > afternoon_from ? 2 : 0);
  }
  int half_mask(int person, int d) {
    int m = 0;
    for (auto [a, b] : slots(person, d))
      m |= halves_of(a, b);
    return m;
  }

  // Can [start, end) be booked for these people (and room), keeping every
  // person within the busy cap?
  bool free_for(const Act &a, long start, long end) {
    const int d0 = static_cast<int>(start / day_minutes);
    const int d1 = static_cast<int>((end - 1) / day_minutes);
    std::vector<int> res = a.busy ? a.people : std::vector<int>{};
    if (a.busy && a.room >= 0)
      res.push_back(people_count_ + a.room);
    for (int r : res)
      for (int d = d0; d <= d1; ++d) {
        const int from = d == d0 ? static_cast<int>(start - d * day_minutes) : 0;
        const int to = d == d1 ? static_cast<int>(end - d * day_minutes) : 1440;
        for (auto [x, y] : slots(r, d))
          if (x < to && from < y)
            return false;
      }
    if (!a.busy)
      return true;
    for (int p : a.people) {
      int extra = 0;
      for (int d = d0; d <= d1; ++d) {
        const int from = d == d0 ? static_cast<int>(start - d * day_minutes) : 0;
        const int to = d == d1 ? static_cast<int>(end - d * day_minutes) : 1440;
        const int add = halves_of(from, to) & ~half_mask(p, d);
        extra += (add & 1) + ((add >> 1) & 1);
      }
      if (busy_halves_[static_cast<std::size_t>(p)] + extra > cap_halves_)
        return false;
    }
    return true;
  }

  void book(Act &a, long start, long end) {
    a.occ.emplace_back(start, end);
    if (!a.busy)
      return;
    const int d0 = static_cast<int>(start / day_minutes);
    const int d1 = static_cast<int>((end - 1) / day_minutes);
    std::vector<int> res = a.people;
    if (a.room >= 0)
      res.push_back(people_count_ + a.room);
    for (int r : res)
      for (int d = d0; d <= d1; ++d) {
        const int from = d == d0 ? static_cast<int>(start - d * day_minutes) : 0;
        const int to = d == d1 ? static_cast<int>(end - d * day_minutes) : 1440;
        int before = r < people_count_ ? half_mask(r, d) : 0;
        slots(r, d).emplace_back(from, to);
        if (r < people_count_) {
          const int add = halves_of(from, to) & ~before;
          busy_halves_[static_cast<std::size_t>(r)] += (add & 1) + ((add >> 1) & 1);
        }
      }
  }

  // Starts of `a` on day d that are free, in random order.
  std::vector<long> starts_on(const Act &a, int d) {
    std::vector<long> out;
    if (d < 0 || d >= days_ || !working_[static_cast<std::size_t>(d)])
      return out;
    if (a.all_day) {
      const int n = static_cast<int>(a.duration / day_minutes);
      for (int k = 0; k < n; ++k)
        if (d + k >= days_ || !working_[static_cast<std::size_t>(d + k)])
          return out;
      if (free_for(a, d * day_minutes, (d + n) * day_minutes))
        out.push_back(d * day_minutes);
      return out;
    }
    for (auto [from, to] :
         {std::pair{morning_from, morning_to}, std::pair{afternoon_from, afternoon_to}})
      for (long s = from; s + a.duration <= to; s += 30)
        if (free_for(a, d * day_minutes + s, d * day_minutes + s + a.duration))
          out.push_back(d * day_minutes + s);
    std::shuffle(out.begin(), out.end(), rng_);
    return out;
  }

  // A free start between `lo` and `hi` (minutes), trying random days first.
  std::optional<long> find_start(const Act &a, long lo, long hi, int tries = 40) {
    const int dlo = static_cast<int>(std::max(0L, lo) / day_minutes);
    const int dhi = static_cast<int>(std::min<long>(hi, (days_ - 1) * day_minutes) / day_minutes);
    if (dlo > dhi)
      return std::nullopt;
    std::vector<int> candidates;
    for (int d = dlo; d <= dhi; ++d)
      if (working_[static_cast<std::size_t>(d)])
        candidates.push_back(d);
    std::shuffle(candidates.begin(), candidates.end(), rng_);
    if (static_cast<int>(candidates.size()) > tries)
      candidates.resize(static_cast<std::size_t>(tries));
    for (int d : candidates)
      for (long s : starts_on(a, d))
        if (s >= lo && s <= hi)
          return s;
    return std::nullopt;
  }

  std::optional<long> find_anywhere(const Act &a) {
    return find_start(a, 0, (days_ - 1) * day_minutes, 60);
  }

  // The window of a single occurrence [start, end), as words.
  std::string window_around(long start, long end) {
    const int d0 = static_cast<int>(start / day_minutes);
    const int d1 = static_cast<int>((end - 1) / day_minutes);
    if (opt_.tight) {
      // Chinese thirds of a month when the occurrence fits one; most windows
      // are ISO ranges a few working days either side.
      if (chance(0.12)) {
        const calendar::Date a = date_of(d0), b = date_of(d1);
        if (calendar::month_of(a) == calendar::month_of(b)) {
          const auto third = [](unsigned day) { return day <= 10 ? 0 : day <= 20 ? 1 : 2; };
          if (third(calendar::day_of(a)) == third(calendar::day_of(b))) {
            static const char *const names[] = {"上旬", "中旬", "下旬"};
            return std::string(cn_months[calendar::month_of(a) - 1]) +
                   names[third(calendar::day_of(a))];
          }
        }
      }
      const int left = uniform(0, 3), right = uniform(0, 3);
      return range_text(shift_working(d0, -left), shift_working(d1, right));
    }
    const calendar::Date a = date_of(d0), b = date_of(d1);
    const unsigned ma = calendar::month_of(a), mb = calendar::month_of(b);
    switch (uniform(0, 5)) {
    case 0:
      if (ma == mb)
        return cn_months[ma - 1];
      break;
    case 1:
      if ((ma - 1) / 3 == (mb - 1) / 3)
        return cn_quarters[(ma - 1) / 3];
      break;
    case 2:
      if (ma == mb) {
        // The third (上旬, 中旬, 下旬) or two neighbouring thirds of the month.
        const auto third = [](unsigned day) { return day <= 10 ? 0 : day <= 20 ? 1 : 2; };
        const int ta = third(calendar::day_of(a)), tb = third(calendar::day_of(b));
        static const char *const names[] = {"上旬", "中旬", "下旬"};
        if (ta == tb && chance(0.5))
          return std::string(cn_months[ma - 1]) + names[ta];
        if (tb == ta + 1 || (ta == tb && ta < 2))
          return std::string(cn_months[ma - 1]) + (ta == 0 ? "上、中旬" : "中、下旬");
        if (ta == tb)
          return std::string(cn_months[ma - 1]) + "中、下旬";
      }
      break;
    case 3:
      if (mb <= 11 && ma >= 1)
        return std::to_string(ma) + "-" + std::to_string(std::min(12u, mb + 1)) + "月";
      break;
    default:
      break;
    }
    const int left = uniform(3, 25), right = uniform(3, 25);
    return range_text(std::max(0, d0 - left), std::min(days_ - 1, d1 + right));
  }

  int shift_working(int d, int k) {
    // d moved by k working days (d itself need not be one); clipped to the year.
    int i;
    auto it = work_index_.find(d);
    if (it != work_index_.end()) {
      i = it->second;
    } else {
      i = static_cast<int>(std::lower_bound(work_days_.begin(), work_days_.end(), d) -
                           work_days_.begin());
      if (k < 0)
        --i;
    }
    i = std::clamp(i + k, 0, static_cast<int>(work_days_.size()) - 1);
    return k < 0 ? std::min(d, work_days_[static_cast<std::size_t>(i)])
                 : std::max(d, work_days_[static_cast<std::size_t>(i)]);
  }
  std::string range_text(int a, int b) const {
    if (a == b)
      return calendar::format_iso_date(date_of(a));
    return calendar::format_iso_date(date_of(a)) + ".." + calendar::format_iso_date(date_of(b));
  }

  // An `after` rule the witness keeps: min and max gap drawn around the real one.
  void add_after(Act &succ, const Act &pred, bool with_max, bool exact_zero = false) {
    const long gap = succ.occ.front().first - pred.occ.front().second;
    std::string item = "{id: " + pred.id;
    if (exact_zero && gap == 0) {
      item += ", max_gap: 0d}";
      ++zero_gaps_;
      ++max_gaps_;
    } else {
      const long slack_lo = opt_.tight ? day_minutes * uniform(0, 2) : day_minutes * uniform(1, 10);
      const long slack_hi = opt_.tight ? day_minutes * uniform(0, 3) : day_minutes * uniform(3, 20);
      const long lo = std::max(0L, gap - slack_lo);
      const std::string min_text = gap_text(lo, false);
      if (gap_minutes(min_text) > 0)
        item += ", min_gap: " + min_text;
      if (with_max) {
        item += ", max_gap: " + gap_text(gap + slack_hi, true);
        ++max_gaps_;
      }
      item += "}";
    }
    succ.after.push_back(item);
    ++after_rules_;
  }

  // n of `from`, drawn without replacement; people early in their branch
  // are drawn more often, so a few carry much of the load (as leaders do).
  // Places `succ` after acts_[pred] within `reach` minutes of its end (the
  // moment it ends, when `zero` and that is free) and ties them by an `after`
  // rule, with a max_gap with probability `p_max`. False when nothing fits.
  bool follow(Act succ, std::size_t pred, long reach, bool zero, double p_max) {
    const long e = acts_[pred].occ.front().second;
    std::optional<long> s;
    if (zero)
      for (long x : starts_on(succ, static_cast<int>(e / day_minutes)))
        if (x == e)
          s = x;
    if (!s)
      s = find_start(succ, e, e + reach);
    if (!s)
      return false;
    book(succ, *s, *s + succ.duration);
    succ.when = window_around(*s, *s + succ.duration);
    add_after(succ, acts_[pred], chance(p_max), zero && *s == e);
    emit(std::move(succ));
    return true;
  }

  std::vector<int> sample(const std::vector<int> &from, int n) {
    std::vector<int> pool = from, out;
    while (static_cast<int>(out.size()) < n && !pool.empty()) {
      std::vector<double> w;
      for (int p : pool)
        w.push_back(1.0 / (1.0 + 0.3 * (p % branch_people_)));
      std::discrete_distribution<std::size_t> pick_one(w.begin(), w.end());
      const std::size_t i = pick_one(rng_);
      out.push_back(pool[i]);
      pool.erase(pool.begin() + static_cast<long>(i));
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  std::string person_id(int p) const {
    char buf[16];
    std::snprintf(buf, sizeof buf,
                  people_count_ >= 1000  ? "p%04d"
                  : people_count_ >= 100 ? "p%03d"
                                         : "p%02d",
                  p + 1);
    return buf;
  }
  void set_people(Act &a, const std::vector<int> &people) {
    a.people = people;
    a.attendees.clear();
    for (int p : people)
      a.attendees.push_back(person_id(p));
  }
  void set_group(Act &a, const std::string &group) {
    a.attendees = {group};
    a.people = group_members_[group];
  }
  int count_of(double base) {
    const double x = base * scale_;
    int n = static_cast<int>(x);
    if (chance(x - n))
      ++n;
    return n;
  }

  Act &emit(Act a) {
    acts_.push_back(std::move(a));
    return acts_.back();
  }

  void make_branch(int b);
  void make_repeats(int b, const std::string &prefix, const std::vector<int> &people, int room0);
  void make_single(const std::string &prefix, int b, const std::vector<int> &people, int room0);
  void add_cross_rules();
  std::string yaml() const;
  HardPlanStats stats() const;

  HardPlanOptions opt_;
  const calendar::WorkingCalendar &cal_;
  std::mt19937 rng_;
  calendar::Date jan1_{};
  int days_ = 365;
  std::vector<char> working_;
  std::vector<int> work_days_;
  std::map<int, int> work_index_;
  int branches_ = 1, branch_people_ = 25;
  double scale_ = 1, cap_share_ = 0.7;
  int people_count_ = 0, rooms_count_ = 0;
  int cap_halves_ = 0;
  std::vector<std::vector<std::pair<int, int>>> occupancy_;
  std::vector<int> busy_halves_;
  std::map<std::string, std::vector<int>> group_members_;
  std::vector<std::pair<std::string, std::vector<std::string>>> groups_; // as written
  std::vector<std::string> names_;
  std::vector<Act> acts_;
  int after_rules_ = 0, max_gaps_ = 0, zero_gaps_ = 0;
  int serial_ = 0;
};

inline void Builder::make_branch(int b) {
  const std::string prefix = branches_ > 1 ? "b" + std::to_string(b + 1) + "_" : "";
  std::vector<int> people;
  for (int i = 0; i < branch_people_; ++i)
    people.push_back(b * branch_people_ + i);
  const int room0 = b * 3;
  // Groups: a committee of 5, sections of about 6, discipline, youth, members.
  auto group = [&](const std::string &name, std::vector<int> members,
                   std::vector<std::string> written = {}) {
    if (written.empty())
      for (int p : members)
        written.push_back(person_id(p));
    group_members_[prefix + name] = members;
    groups_.emplace_back(prefix + name, written);
  };
  std::vector<int> shuffled = people;
  std::shuffle(shuffled.begin(), shuffled.end(), rng_);
  group("committee", sample(people, 5));
  const int sections = std::max(2, branch_people_ / 6);
  std::vector<std::string> section_names;
  for (int s = 0; s < sections; ++s) {
    std::vector<int> m;
    for (int i = s; i < branch_people_; i += sections)
      m.push_back(shuffled[static_cast<std::size_t>(i)]);
    std::sort(m.begin(), m.end());
    group("sec" + std::to_string(s + 1), m);
    section_names.push_back(prefix + "sec" + std::to_string(s + 1));
  }
  group("discipline", sample(people, 3));
  group("youth", sample(people, std::min(8, branch_people_ / 3)));
  group("members", people, std::vector<std::string>{prefix + "committee"});
  groups_.back().second = {prefix + "committee"};
  groups_.back().second.insert(groups_.back().second.end(), section_names.begin(),
                               section_names.end());
  const int wgs = std::max(3, static_cast<int>(14 * scale_));
  for (int w = 0; w < wgs; ++w) {
    // Working groups: mostly the branch's own people, sometimes a neighbour's.
    std::vector<int> pool = people;
    if (branches_ > 1 && chance(0.3))
      for (int i = 0; i < 5; ++i)
        pool.push_back(((b + 1) % branches_) * branch_people_ + uniform(0, branch_people_ - 1));
    std::sort(pool.begin(), pool.end());
    pool.erase(std::unique(pool.begin(), pool.end()), pool.end());
    group("wg_" + pad3(w + 1), sample(pool, uniform(3, 5)));
  }

  auto room_of = [&](int k) { return room0 + k; };
  const std::string cm = prefix + "committee";

  // Fixed events first: facts the rest is planned around.
  for (int i = 0, n = count_of(15); i < n; ++i) {
    Act a;
    a.id = prefix + "plen_" + pad3(i + 1);
    a.title = "区委全会（第" + std::to_string(i + 1) + "次）";
    a.kind = "meeting";
    a.duration = chance(0.5) ? 120 : 180;
    if (chance(0.5))
      set_group(a, cm);
    else
      set_people(a, sample(people, uniform(2, 4)));
    for (int t = 0; t < 40; ++t) {
      const int d = pick(work_days_);
      if (free_for(a, d * day_minutes + morning_from,
                   d * day_minutes + morning_from + a.duration)) {
        book(a, d * day_minutes + morning_from, d * day_minutes + morning_from + a.duration);
        a.when = range_text(d, d);
        a.at = "09:00";
        emit(std::move(a));
        break;
      }
    }
  }
  // Branch congresses: every member at once.
  for (int i = 0, n = count_of(6); i < n; ++i) {
    Act a;
    a.id = prefix + "cong_" + pad3(i + 1);
    a.title = "党员大会（第" + std::to_string(i + 1) + "次）";
    a.kind = "meeting";
    a.duration = chance(0.5) ? 120 : 180;
    set_group(a, prefix + "members");
    a.room = room_of(0);
    const long lo = static_cast<long>(days_) * day_minutes * i / std::max(1, n);
    const long hi = static_cast<long>(days_) * day_minutes * (i + 1) / std::max(1, n);
    if (auto s = find_start(a, lo, hi, 80)) {
      book(a, *s, *s + a.duration);
      a.when = window_around(*s, *s + a.duration);
      emit(std::move(a));
    }
  }
  make_repeats(b, prefix, people, room0);
  // Chains of meetings: the committee's and each section's study, about monthly.
  auto chain = [&](const std::string &id_base, const std::string &title, const std::string &who,
                   int count, int room, long duration) {
    std::optional<std::size_t> prev;
    for (int i = 0; i < count; ++i) {
      Act a;
      a.id = id_base + pad3(i + 1);
      a.title = title + "（第" + std::to_string(i + 1) + "次）";
      a.kind = "meeting";
      a.duration = duration;
      set_group(a, who);
      a.room = room;
      const long month = static_cast<long>(days_) * day_minutes / count;
      std::optional<long> s;
      if (prev) {
        const long e = acts_[*prev].occ.front().second;
        s = find_start(a, e + month / 2, e + month + month / 2, 40);
      } else {
        s = find_start(a, 0, month, 40);
      }
      if (!s)
        continue;
      book(a, *s, *s + a.duration);
      a.when = window_around(*s, *s + a.duration);
      if (prev && !acts_[*prev].occ.empty())
        add_after(a, acts_[*prev], chance(opt_.tight ? 0.6 : 0.2));
      emit(std::move(a));
      prev = acts_.size() - 1;
    }
  };
  chain(prefix + "cm_", "支委会", cm, std::max(2, count_of(12)), room_of(2), 120);
  for (int s = 0; s < sections; ++s)
    chain(prefix + "sec" + std::to_string(s + 1) + "_study_", "党小组学习",
          section_names[static_cast<std::size_t>(s)], std::max(2, count_of(48.0 / 4)), -1, 120);
  // Everything else, one at a time, in a random order of kinds.
  const int singles = count_of(opt_.tight ? 420 : 260);
  for (int i = 0; i < singles; ++i)
    make_single(prefix, b, people, room0);
}

// Repeating activities, each occurrence k in the k-th period (PLAN.md §3).
inline void Builder::make_repeats(int, const std::string &prefix, const std::vector<int> &people,
                                  int room0) {
  auto place_in = [&](Act &a, const std::vector<int> &days, long min_start) -> bool {
    std::vector<int> ds = days;
    std::shuffle(ds.begin(), ds.end(), rng_);
    for (int d : ds)
      for (long s : starts_on(a, d))
        if (s >= min_start) {
          book(a, s, s + a.duration);
          return true;
        }
    return false;
  };
  auto days_in = [&](calendar::Date from, calendar::Date to, auto &&keep) {
    std::vector<int> out;
    for (calendar::Date d = from; d <= to; d += date::days{1}) {
      const int i = static_cast<int>((d - jan1_).count());
      if (i >= 0 && i < days_ && working_[static_cast<std::size_t>(i)] && keep(d))
        out.push_back(i);
    }
    return out;
  };
  auto all = [](calendar::Date) { return true; };
  // Periods of a weekly or biweekly repeat inside [from, to]: ISO weeks (or
  // pairs of them from the first week that meets the window), clipped.
  auto week_periods = [&](calendar::Date from, calendar::Date to, int weeks_per) {
    std::vector<std::vector<int>> out;
    calendar::Date monday = from - date::days{(calendar::weekday_index(from) + 6) % 7};
    for (; monday <= to; monday += date::days{7 * weeks_per}) {
      const calendar::Date a = std::max(monday, from);
      const calendar::Date b = std::min(monday + date::days{7 * weeks_per - 1}, to);
      auto ds = days_in(a, b, all);
      if (!ds.empty())
        out.push_back(ds);
    }
    return out;
  };
  auto run_periods = [&](Act a, const std::vector<std::vector<int>> &periods) {
    for (const auto &p : periods)
      if (!place_in(a, p, a.occ.empty() ? 0 : a.occ.back().second))
        return; // an unplaceable period: drop the activity
    for (const auto &[s, e] : a.occ) {
      (void)s;
      (void)e;
    }
    // Undo is not needed for dropped activities only when nothing was booked;
    // a dropped activity's bookings stay as harmless extra busy time.
    emit(std::move(a));
  };
  auto make = [&](const std::string &id, const char *title, const char *kind, long duration) {
    Act a;
    a.id = prefix + id;
    a.title = title;
    a.kind = kind;
    a.duration = duration;
    return a;
  };
  const int reps = std::max(1, count_of(1.0));
  for (int r = 0; r < reps; ++r) {
    const int tag = serial_++;
    {
      // Monthly dues in the first third of every month.
      Act a = make("dues_" + pad3(tag + 1), "收缴党费", "dues", 60);
      set_people(a, sample(people, 1));
      a.repeat = "monthly";
      a.when = "上旬";
      std::vector<std::vector<int>> periods;
      for (unsigned m = 1; m <= 12; ++m) {
        auto ds =
            days_in(calendar::first_day_of_month(2026, m), calendar::make_date(2026, m, 10), all);
        if (!ds.empty())
          periods.push_back(ds);
      }
      run_periods(std::move(a), periods);
    }
    {
      // Weekly youth study over two months; the Spring Festival week has none.
      Act a = make("youth_weekly_" + pad3(tag + 1), "青年理论学习小组", "study", 60);
      set_group(a, prefix + "youth");
      a.repeat = "weekly";
      const unsigned m = static_cast<unsigned>(uniform(1, 10));
      a.when = std::to_string(m) + "-" + std::to_string(m + 1) + "月";
      run_periods(std::move(a), week_periods(calendar::first_day_of_month(2026, m),
                                             calendar::last_day_of_month(2026, m + 1), 1));
    }
    {
      // Biweekly section meetings over a quarter.
      Act a = make("relay_" + pad3(tag + 1), "双周例会", "meeting", 120);
      set_people(a, sample(people, 3));
      a.room = room0 + 1;
      a.repeat = "biweekly";
      const int q = uniform(0, 3);
      a.when = cn_quarters[q];
      run_periods(std::move(a),
                  week_periods(calendar::first_day_of_month(2026, static_cast<unsigned>(3 * q + 1)),
                               calendar::last_day_of_month(2026, static_cast<unsigned>(3 * q + 3)),
                               2));
    }
    {
      // A list of windows: one occurrence in each.
      Act a = make("prep_" + pad3(tag + 1), "季度工作推进会", "meeting", 180);
      set_group(a, prefix + "committee");
      a.room = room0 + 2;
      std::vector<std::vector<int>> periods;
      std::string text = "[";
      for (unsigned q = 0; q < 4; ++q) {
        const unsigned m = 3 * q + static_cast<unsigned>(uniform(1, 3));
        const int third = uniform(0, 2);
        static const char *const names[] = {"上旬", "中旬", "下旬"};
        const calendar::Date from =
            calendar::make_date(2026, m, static_cast<unsigned>(1 + 10 * third));
        const calendar::Date to =
            third == 2 ? calendar::last_day_of_month(2026, m)
                       : calendar::make_date(2026, m, static_cast<unsigned>(10 + 10 * third));
        auto ds = days_in(from, to, all);
        if (ds.empty())
          continue;
        periods.push_back(ds);
        text += std::string(periods.size() > 1 ? ", " : "") + cn_months[m - 1] + names[third];
      }
      a.repeat = text + "]";
      run_periods(std::move(a), periods);
    }
    {
      // count: 3 inside a quarter, two weeks apart at least.
      Act a = make("talk_series_" + pad3(tag + 1), "谈心谈话（三轮）", "meeting", 120);
      set_people(a, sample(people, 2));
      const int q = uniform(0, 3);
      a.when = cn_quarters[q];
      a.count = 3;
      a.min_gap_self = "14d";
      const calendar::Date from =
          calendar::first_day_of_month(2026, static_cast<unsigned>(3 * q + 1));
      const int base = static_cast<int>((from - jan1_).count());
      std::vector<std::vector<int>> periods;
      for (int k = 0; k < 3; ++k)
        periods.push_back(days_in(from + date::days{28 * k}, from + date::days{28 * k + 13}, all));
      bool ok = true;
      for (const auto &p : periods)
        ok = ok && !p.empty();
      (void)base;
      if (ok)
        run_periods(std::move(a), periods);
    }
  }
}

inline void Builder::make_single(const std::string &prefix, int, const std::vector<int> &people,
                                 int room0) {
  const int n = ++serial_;
  const std::string num = pad3(n);
  const double r = std::uniform_real_distribution<double>(0, 1)(rng_);
  const bool tight = opt_.tight;
  const auto place = [&](Act &a, long lo, long hi) -> bool {
    auto s =
        lo <= 0 && hi >= (days_ - 1) * day_minutes ? find_anywhere(a) : find_start(a, lo, hi, 40);
    if (!s)
      return false;
    book(a, *s, *s + a.duration);
    a.when = window_around(*s, *s + a.duration);
    return true;
  };
  const long year_end = (days_ - 1) * day_minutes;
  const auto small_team = [&](Act &a, int lo, int hi) {
    if (chance(0.15))
      set_group(a, prefix + "discipline");
    else
      set_people(a, sample(people, uniform(lo, hi)));
  };
  if (r < (tight ? 0.42 : 0.25)) {
    // An inspection and its report (a deadline that blocks no one).
    Act insp;
    insp.id = prefix + "insp_" + num;
    insp.kind = "inspection";
    insp.all_day = chance(tight ? 0.5 : 0.3);
    insp.duration = insp.all_day ? day_minutes * (chance(0.2) ? 2 : 1) : 180;
    insp.title = std::string("重点项目视察") + num + (insp.all_day ? "" : "（半天）");
    small_team(insp, 2, 3);
    if (!place(insp, 0, year_end))
      return;
    Act rpt;
    rpt.id = prefix + "rpt_" + num;
    rpt.title = "提交视察报告" + num;
    rpt.kind = "deadline";
    rpt.all_day = true;
    rpt.duration = day_minutes;
    rpt.busy = false;
    set_people(rpt, {insp.people.front()});
    const bool zero = insp.all_day && chance(tight ? 0.05 : 0.02);
    emit(std::move(insp));
    if (!follow(std::move(rpt), acts_.size() - 1,
                day_minutes * (tight ? uniform(1, 8) : uniform(5, 30)), zero, tight ? 0.85 : 0.3))
      return;
    const std::size_t rpt_index = acts_.size() - 1;
    // Sometimes the committee reviews the report a little later.
    if (chance(tight ? 0.35 : 0.1)) {
      Act rev;
      rev.id = prefix + "rev_" + num;
      rev.title = "视察报告评议" + num;
      rev.kind = "meeting";
      rev.duration = 120;
      set_people(rev, sample(people, uniform(2, 4)));
      rev.room = room0 + uniform(0, 2);
      follow(std::move(rev), rpt_index, day_minutes * (tight ? uniform(2, 7) : uniform(5, 40)),
             false, tight ? 0.8 : 0.3);
    }
  } else if (r < (tight ? 0.55 : 0.33)) {
    // An all-day trip, then a report meeting; sometimes straight after.
    Act trip;
    trip.id = prefix + "trip_" + num;
    trip.title = "外出调研" + num;
    trip.kind = "research";
    trip.all_day = true;
    trip.duration = day_minutes * (chance(0.6) ? 2 : 1);
    small_team(trip, 2, 4);
    if (!place(trip, 0, year_end))
      return;
    Act trep;
    trep.id = prefix + "trep_" + num;
    trep.kind = "report";
    trep.all_day = chance(0.4);
    trep.duration = trep.all_day ? day_minutes : 120;
    trep.title = "调研汇报" + num;
    trep.people = trip.people;
    trep.attendees = trip.attendees;
    const bool zero = trep.all_day && chance(tight ? 0.06 : 0.02);
    emit(std::move(trip));
    follow(std::move(trep), acts_.size() - 1,
           day_minutes * (tight ? uniform(1, 6) : uniform(5, 30)), zero, tight ? 0.85 : 0.3);
  } else if (r < (tight ? 0.63 : 0.45)) {
    Act a;
    a.id = prefix + "talk_" + num;
    a.title = "谈心谈话" + num;
    a.kind = "meeting";
    a.duration = 60;
    set_people(a, sample(people, 2));
    place(a, 0, year_end) ? (void)emit(std::move(a)) : (void)0;
  } else if (r < (tight ? 0.68 : 0.50)) {
    Act a;
    a.id = prefix + "train_" + num;
    a.title = "集中培训" + num;
    a.kind = "study";
    a.all_day = true;
    a.duration = day_minutes * (chance(0.5) ? 2 : 1);
    set_people(a, sample(people, uniform(3, 6)));
    a.room = room0 + uniform(0, 2);
    place(a, 0, year_end) ? (void)emit(std::move(a)) : (void)0;
  } else if (r < (tight ? 0.85 : 0.75)) {
    // A working group's meeting, and sometimes a follow-up that starts the
    // moment it ends.
    Act a;
    a.id = prefix + "wg_" + num;
    a.title = "专题工作组会议" + num;
    a.kind = "meeting";
    a.duration = chance(0.5) ? 120 : 60;
    std::vector<std::string> wg_names;
    for (const auto &[name, members] : groups_)
      if (name.rfind(prefix + "wg_", 0) == 0)
        wg_names.push_back(name);
    set_group(a, pick(wg_names));
    if (chance(0.4))
      a.room = room0 + uniform(0, 2);
    if (!place(a, 0, year_end))
      return;
    const Act &kept = emit(std::move(a));
    if (chance(tight ? 0.5 : 0.15)) {
      Act f;
      f.id = prefix + "mtg_" + num;
      f.title = "工作组跟进会" + num;
      f.kind = "meeting";
      f.duration = 60;
      set_people(f, sample(kept.people, std::max(1, static_cast<int>(kept.people.size()) - 1)));
      follow(std::move(f), acts_.size() - 1, day_minutes * (tight ? uniform(1, 5) : uniform(3, 20)),
             chance(0.1), tight ? 0.8 : 0.3);
    }
  } else {
    Act a;
    a.id = prefix + "mtg_" + num + "x";
    a.title = "专题会议" + num;
    a.kind = "meeting";
    a.duration = chance(0.5) ? 180 : 120;
    set_people(a, sample(people, uniform(2, 5)));
    if (chance(0.5))
      a.room = room0 + uniform(0, 2);
    place(a, 0, year_end) ? (void)emit(std::move(a)) : (void)0;
  }
}

inline HardPlan Builder::build() {
  people_count_ = branches_ * branch_people_;
  rooms_count_ = branches_ * 3;
  cap_halves_ = static_cast<int>(cap_share_ * 2 * static_cast<double>(work_days_.size()));
  occupancy_.assign(
      static_cast<std::size_t>(people_count_ + rooms_count_) * static_cast<std::size_t>(days_), {});
  busy_halves_.assign(static_cast<std::size_t>(people_count_), 0);
  for (int p = 0; p < people_count_; ++p)
    names_.push_back(std::string(family_names[uniform(0, 19)]) + given_names[uniform(0, 19)] +
                     (chance(0.5) ? given_names[uniform(0, 19)] : ""));
  for (int b = 0; b < branches_; ++b)
    make_branch(b);
  // Top up with single activities until the size is reached.
  int total = 0;
  for (const auto &a : acts_)
    total += static_cast<int>(a.occ.size());
  for (int tries = 0; total < opt_.occurrences && tries < opt_.occurrences * 4; ++tries) {
    const std::size_t before = acts_.size();
    const int b = uniform(0, branches_ - 1);
    std::vector<int> people;
    for (int i = 0; i < branch_people_; ++i)
      people.push_back(b * branch_people_ + i);
    make_single(branches_ > 1 ? "b" + std::to_string(b + 1) + "_" : "", b, people, b * 3);
    for (std::size_t i = before; i < acts_.size(); ++i)
      total += static_cast<int>(acts_[i].occ.size());
  }
  add_cross_rules();
  HardPlan out;
  out.yaml = yaml();
  for (const auto &a : acts_)
    for (std::size_t k = 0; k < a.occ.size(); ++k)
      out.witness.push_back(
          {a.id, static_cast<int>(k), a.all_day, a.occ[k].first, a.occ[k].second});
  std::sort(out.witness.begin(), out.witness.end(), [](const auto &x, const auto &y) {
    if (x.start != y.start)
      return x.start < y.start;
    return x.activity + "#" + std::to_string(x.index) < y.activity + "#" + std::to_string(y.index);
  });
  out.stats = stats();
  return out;
}

// More `after` rules between activities that the witness already orders (a
// report before the next committee meeting, say), until about as many rules
// as the shape asks for: they never change the witness, only tie the plan.
inline void Builder::add_cross_rules() {
  const double want = (opt_.tight ? 0.66 : 0.2) * static_cast<double>(acts_.size());
  std::vector<std::size_t> singles;
  for (std::size_t i = 0; i < acts_.size(); ++i)
    if (acts_[i].single() && acts_[i].at.empty())
      singles.push_back(i);
  if (singles.size() < 2)
    return;
  std::sort(singles.begin(), singles.end(), [&](std::size_t a, std::size_t b) {
    return acts_[a].occ.front().first < acts_[b].occ.front().first;
  });
  for (int tries = 0; after_rules_ < want && tries < static_cast<int>(acts_.size()) * 4; ++tries) {
    const std::size_t k =
        static_cast<std::size_t>(uniform(1, static_cast<int>(singles.size()) - 1));
    Act &succ = acts_[singles[k]];
    if (succ.after.size() >= 2)
      continue;
    const long start = succ.occ.front().first;
    // A predecessor that ends within the last three weeks.
    const std::size_t j = static_cast<std::size_t>(
        uniform(std::max(0, static_cast<int>(k) - 60), static_cast<int>(k) - 1));
    const Act &pred = acts_[singles[j]];
    const long end = pred.occ.front().second;
    if (end > start || start - end > 21 * day_minutes || pred.id == succ.id)
      continue;
    bool again = false;
    for (const auto &item : succ.after)
      again = again || item.find("{id: " + pred.id + ",") == 0 || item == "{id: " + pred.id + "}";
    if (again)
      continue;
    add_after(succ, pred, chance(opt_.tight ? 0.7 : 0.2));
  }
}

inline std::string Builder::yaml() const {
  std::ostringstream o;
  o << "plan: \"生成的基准计划（" << (opt_.tight ? "tight" : "loose") << "，" << opt_.occurrences
    << " 次，seed " << opt_.seed << "）\"\n"
    << "id: gen-" << (opt_.tight ? "tight" : "loose") << "-n" << opt_.occurrences << "-s"
    << opt_.seed << "\n"
    << "year: 2026\ntimezone: Asia/Shanghai\ncalendar:\n  holidays: cn\n"
    << "  workdays: [mon, tue, wed, thu, fri]\n  hours: [\"09:00-12:00\", "
       "\"14:00-17:00\"]\npeople:\n";
  for (int p = 0; p < people_count_; ++p)
    o << "  - {id: " << person_id(p) << ", name: " << names_[static_cast<std::size_t>(p)] << "}\n";
  o << "groups:\n";
  for (const auto &[name, members] : groups_) {
    o << "  " << name << ": [";
    for (std::size_t i = 0; i < members.size(); ++i)
      o << (i ? ", " : "") << members[i];
    o << "]\n";
  }
  static const char *const room_names[] = {"党员活动室", "第一会议室", "第二会议室"};
  o << "rooms:\n";
  for (int r = 0; r < rooms_count_; ++r)
    o << "  - {id: r" << r + 1 << ", name: " << room_names[r % 3]
      << (rooms_count_ > 3 ? "（" + std::to_string(r / 3 + 1) + "）" : "") << "}\n";
  o << "defaults:\n  duration: 2h\n  reminders: [1d]\nactivities:\n";
  for (const auto &a : acts_) {
    o << "  - id: " << a.id << "\n    title: \"" << a.title << "\"\n    kind: " << a.kind << "\n";
    if (!a.when.empty())
      o << "    when: \"" << a.when << "\"\n";
    if (!a.repeat.empty())
      o << "    repeat: " << a.repeat << "\n";
    if (a.count > 0)
      o << "    count: " << a.count << "\n";
    if (!a.min_gap_self.empty())
      o << "    min_gap: " << a.min_gap_self << "\n";
    o << "    duration: " << duration_text(a.duration, a.all_day) << "\n";
    if (!a.at.empty())
      o << "    at: \"" << a.at << "\"\n";
    o << "    attendees: [";
    for (std::size_t i = 0; i < a.attendees.size(); ++i)
      o << (i ? ", " : "") << a.attendees[i];
    o << "]\n";
    if (a.room >= 0)
      o << "    room: r" << a.room + 1 << "\n";
    if (!a.busy && a.kind != "deadline")
      o << "    busy: false\n";
    else if (!a.busy)
      o << "    busy: false\n";
    if (!a.after.empty()) {
      o << "    after: [";
      for (std::size_t i = 0; i < a.after.size(); ++i)
        o << (i ? ", " : "") << a.after[i];
      o << "]\n";
    }
  }
  return o.str();
}

inline HardPlanStats Builder::stats() const {
  HardPlanStats s;
  s.activities = static_cast<int>(acts_.size());
  s.people = people_count_;
  s.rooms = rooms_count_;
  s.groups = static_cast<int>(groups_.size());
  s.after_rules = after_rules_;
  s.after_with_max_gap = max_gaps_;
  s.zero_max_gaps = zero_gaps_;
  std::vector<int> window_days, window_working;
  for (const auto &a : acts_) {
    s.occurrences += static_cast<int>(a.occ.size());
    (a.all_day ? s.all_day : s.timed) += static_cast<int>(a.occ.size());
    if (!a.at.empty())
      ++s.fixed;
    if (!a.repeat.empty() || a.count > 0)
      ++s.repeating_activities;
  }
  const double halves = 2.0 * static_cast<double>(work_days_.size());
  double sum = 0;
  for (int h : busy_halves_) {
    s.busiest_share = std::max(s.busiest_share, h / halves);
    sum += h / halves;
  }
  s.mean_share = busy_halves_.empty() ? 0 : sum / static_cast<double>(busy_halves_.size());
  return s;
}

} // namespace hard_detail

// The plan, its witness and its figures; the same options give the same bytes.
inline HardPlan generate_hard_plan(const HardPlanOptions &options,
                                   const calendar::WorkingCalendar &calendar) {
  hard_detail::Builder builder(options, calendar);
  return builder.build();
}

// The witness as a Schedule, for the checker.
inline scheduler::Schedule witness_schedule(const HardPlan &plan) {
  scheduler::Schedule out;
  const calendar::LocalTime jan1{
      date::local_days{calendar::first_day_of_month(2026, 1).time_since_epoch()}};
  for (const auto &w : plan.witness) {
    scheduler::Occurrence o;
    o.activity = w.activity;
    o.index = w.index;
    o.all_day = w.all_day;
    o.start = jan1 + std::chrono::minutes{w.start};
    o.end = jan1 + std::chrono::minutes{w.end};
    out.occurrences.push_back(std::move(o));
  }
  return out;
}

} // namespace xun::testing
