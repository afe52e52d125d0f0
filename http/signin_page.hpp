// The pages around the plans, Chinese first: the sign-in form and the list of
// plans (for the admin; anyone else gets an empty page with a sign-in link).
// Plain HTML with inline CSS; forms post to this site only.
#pragma once

#include "http/page.hpp"

#include <string>
#include <vector>

namespace xun::http {

// <!DOCTYPE html> … <body>, with the shared look and `css` after it.
std::string simple_page_head(const std::string &title, const std::string &css = "");

// `next`: where to go after signing in; `error`: why the last try failed.
std::string signin_page_html(const std::string &next, const std::string &error);

// The index. `admin`: list the plans (with edit links and "new"); `csrf`: the
// sign-out form's token when signed in by cookie ("" for a bearer token).
// `channels`: the delivery channels and their health, for the admin (none: no section).
struct ChannelHealthItem {
  std::string id, type, name, health;
  bool stopped = false;
};
std::string plans_index_html(const std::vector<PlanListItem> &plans, bool admin,
                             const std::string &csrf,
                             const std::vector<ChannelHealthItem> &channels = {});

} // namespace xun::http
