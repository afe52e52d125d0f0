#include "http/signin_page.hpp"

#include <sstream>

namespace xun::http {

namespace {

constexpr const char *base_css = R"css(
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", system-ui, sans-serif; color: #1f2328;
       margin: 1.5rem auto; max-width: 60rem; padding: 0 1rem; line-height: 1.5; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
a { color: #0550ae; }
.muted { color: #57606a; }
.error { border-left: 4px solid #b71c1c; background: #fff8f6; padding: .5rem .75rem; }
button, .button { font: inherit; padding: .45rem 1rem; border: 1px solid #0550ae; border-radius: 6px;
                  background: #0969da; color: #fff; cursor: pointer; text-decoration: none;
                  display: inline-block; }
button.plain { background: #fff; color: #0550ae; }
input[type=password] { font: inherit; padding: .45rem; width: 100%; max-width: 28rem;
                       border: 1px solid #d0d7de; border-radius: 6px; }
form.inline { display: inline; }
ul.plans { padding-left: 1.2rem; } ul.plans li { margin: .35rem 0; }
nav.top { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; margin-bottom: 1rem; }
)css";

// A plan's state as a secretary would say it.
std::string status_text(const std::string &status) {
  if (status == "ok")
    return "已排定 scheduled";
  if (status == "draft")
    return "草稿：无法排定 draft, cannot be scheduled";
  return "草稿：有错误 draft, has mistakes";
}

} // namespace

std::string simple_page_head(const std::string &title, const std::string &css) {
  return "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
         html_escape(title) + "</title>\n<style>" + base_css + css + "</style>\n</head>\n<body>\n";
}

std::string signin_page_html(const std::string &next, const std::string &error) {
  std::ostringstream out;
  out << simple_page_head("登录 Sign in · Xun") << "<h1>登录 Sign in</h1>\n";
  if (!error.empty())
    out << "<p class=\"error\" id=\"signin-error\">" << html_escape(error) << "</p>\n";
  out << "<form method=\"post\" action=\"/signin\" id=\"signin\">\n"
         "<p><label for=\"token\">管理员令牌 Admin token</label><br>\n"
         "<input type=\"password\" id=\"token\" name=\"token\" autocomplete=\"current-password\" "
         "required autofocus></p>\n"
         "<input type=\"hidden\" name=\"next\" value=\""
      << html_escape(next) << "\">\n<p><button type=\"submit\">登录 Sign in</button></p>\n</form>\n"
      << "<p class=\"muted\">令牌是 <code>$XUN_ADMIN_TOKEN</code>，或 <code>xun serve</code> "
         "首次启动时打印的那一个。登录后 12 小时不用即退出，最长 7 天。</p>\n"
         "<p><a href=\"/\">返回首页</a></p>\n</body>\n</html>\n";
  return out.str();
}

std::string plans_index_html(const std::vector<PlanListItem> &plans, bool admin,
                             const std::string &csrf,
                             const std::vector<ChannelHealthItem> &channels) {
  std::ostringstream out;
  out << simple_page_head("Xun 旬 · 工作计划") << "<h1>Xun 旬 · 工作计划</h1>\n";
  if (!admin) {
    out << "<p id=\"empty\">计划只对管理员和持有阅读链接的人可见。"
           "Plans are shown to the admin and to holders of a plan's read link.</p>\n"
           "<p><a class=\"button\" id=\"signin-link\" href=\"/signin\">登录 Sign in</a></p>\n"
           "</body>\n</html>\n";
    return out.str();
  }
  out << "<nav class=\"top\"><a class=\"button\" id=\"new-plan\" href=\"/new\">新建计划 New "
         "plan</a>";
  if (!csrf.empty())
    out << "<form class=\"inline\" method=\"post\" action=\"/signout\" id=\"signout\">"
           "<input type=\"hidden\" name=\"csrf\" value=\""
        << html_escape(csrf)
        << "\"><button class=\"plain\" type=\"submit\">退出 Sign out</button></form>";
  out << "</nav>\n";
  if (plans.empty()) {
    out << "<p id=\"empty\">还没有计划：新建一个，或从示例开始。No plans yet.</p>\n";
  } else {
    out << "<ul class=\"plans\" id=\"plans\">\n";
    for (const auto &p : plans)
      out << "<li><a href=\"/plans/" << html_escape(p.id) << "\">" << html_escape(p.title)
          << "</a> <code>" << html_escape(p.id) << "</code> · 第 " << p.revision << " 版 · "
          << html_escape(status_text(p.status)) << " · <a href=\"/plans/" << html_escape(p.id)
          << "/edit\">编辑 edit</a></li>\n";
    out << "</ul>\n";
  }
  if (!channels.empty()) {
    // A stopped channel sends nothing until its settings are fixed and a test succeeds.
    out << "<h2>提醒渠道 Channels</h2>\n<ul class=\"plans\" id=\"channels\">\n";
    for (const auto &c : channels)
      out << "<li id=\"channel-" << html_escape(c.id) << "\">" << html_escape(c.name) << " <code>"
          << html_escape(c.type) << "</code> · "
          << (c.stopped          ? "<strong>已停用 stopped</strong>: "
              : c.health == "ok" ? "正常 ok"
                                 : "")
          << (c.health == "ok" ? "" : html_escape(c.health)) << "</li>\n";
    out << "</ul>\n";
  }
  out << "</body>\n</html>\n";
  return out.str();
}

} // namespace xun::http
