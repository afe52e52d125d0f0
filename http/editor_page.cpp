#include "http/editor_page.hpp"

#include "http/signin_page.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>

namespace xun::http {

namespace {

constexpr const char *editor_css = R"css(
body { max-width: 84rem; }
.toolbar { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; margin: .5rem 0; }
.editor { display: flex; border: 1px solid #d0d7de; border-radius: 6px; overflow: hidden;
          height: 60vh; min-height: 18rem; }
.gutter, #text { font: 14px/1.5 "Noto Sans Mono CJK SC", ui-monospace, monospace; margin: 0;
                 padding: .5rem; }
.gutter { background: #f6f8fa; color: #8c959f; text-align: right; min-width: 3.5rem;
          overflow: hidden; user-select: none; white-space: pre; border-right: 1px solid #d0d7de; }
.gutter span { display: block; }
.gutter span.bad { background: #ffebe9; color: #b71c1c; font-weight: 700; }
#text { flex: 1; border: 0; resize: none; outline: none; white-space: pre; overflow: auto;
        tab-size: 2; }
#status { margin: .5rem 0; font-weight: 600; }
#status.ok { color: #1b5e20; } #status.bad { color: #b71c1c; }
#problems li { margin: .2rem 0; cursor: pointer; }
#problems li:hover { text-decoration: underline; }
.panel { border-top: 1px solid #d0d7de; margin-top: 1rem; padding-top: .5rem; }
.months { columns: 2 22rem; column-gap: 2rem; }
.months section { break-inside: avoid; margin-bottom: .75rem; }
.months h3 { margin: .25rem 0; font-size: 1rem; }
.months ul { margin: 0; padding-left: 1.1rem; }
#moves li { color: #8a4b00; }
#result:empty, #moves:empty { display: none; }
@media (max-width: 40rem) { .editor { height: 50vh; } .gutter { min-width: 2.5rem; } }
)css";

// What a template is called in the list: its `plan:` title, else its file's name.
std::string template_title(const service::PlanTemplate &t) {
  for (std::size_t line = 0; line < t.text.size();) {
    const std::size_t end = std::min(t.text.find('\n', line), t.text.size());
    if (t.text.compare(line, 6, "plan: ") == 0)
      return t.text.substr(line + 6, end - line - 6);
    line = end + 1;
  }
  return t.file_name;
}

// JSON inside <script type="application/json">: "</" must not end the element.
std::string script_safe(std::string json) {
  for (auto at = json.find("</"); at != std::string::npos; at = json.find("</", at + 3))
    json.replace(at, 2, "<\\/");
  return json;
}

} // namespace

std::string editor_page_html(const EditorInput &in) {
  const bool is_new = in.plan_id.empty();
  std::ostringstream out;
  out << simple_page_head(is_new ? "新建计划 New plan · Xun" : "编辑 " + in.plan_id + " · Xun",
                          editor_css)
      << "<meta name=\"xun-csrf\" content=\"" << html_escape(in.csrf) << "\">\n"
      << "<nav class=\"top\"><a href=\"/\">全部计划 All plans</a>";
  if (!is_new)
    out << "<a href=\"/plans/" << html_escape(in.plan_id) << "\">查看计划 View plan</a>";
  out << "</nav>\n<h1>" << (is_new ? "新建计划 New plan" : "编辑计划 Edit plan")
      << (is_new ? "" : " <code>" + html_escape(in.plan_id) + "</code>") << "</h1>\n";
  out << "<main id=\"editor\" data-plan-id=\"" << html_escape(in.plan_id) << "\">\n";
  out << "<div class=\"toolbar\">";
  if (is_new) {
    out << "<label for=\"template\">从模板开始 Start from</label> <select id=\"template\">"
           "<option value=\"\">（空白 blank）</option>";
    for (const auto &t : in.templates)
      out << "<option value=\"" << html_escape(t.file_name) << "\">"
          << html_escape(template_title(t)) << "</option>";
    out << "</select>";
  }
  out << "<button type=\"button\" id=\"preview-button\">预览 Preview</button>"
         "<button type=\"button\" id=\"publish-button\">发布 Publish</button></div>\n";
  out << "<div class=\"editor\"><pre class=\"gutter\" id=\"gutter\" aria-hidden=\"true\"></pre>"
         "<textarea id=\"text\" spellcheck=\"false\" autocapitalize=\"off\" "
         "aria-label=\"计划文本 plan text\">"
      << html_escape(in.text) << "</textarea></div>\n";
  out << "<p id=\"status\" role=\"status\"></p>\n<ol id=\"problems\"></ol>\n"
         "<p id=\"result\" role=\"alert\"></p>\n"
         "<section class=\"panel\" id=\"preview\" hidden><h2>预览 Preview</h2>"
         "<ul id=\"moves\"></ul><div class=\"months\" id=\"months\"></div></section>\n</main>\n";
  nlohmann::json templates = nlohmann::json::object();
  for (const auto &t : in.templates)
    templates[t.file_name] = t.text;
  out << "<script type=\"application/json\" id=\"templates\">"
      << script_safe(templates.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
      << "</script>\n<script src=\"/editor.js\"></script>\n</body>\n</html>\n";
  return out.str();
}

const std::string &editor_script() {
  static const std::string script = R"js('use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const main = $('editor');
  let planId = main.dataset.planId;
  const csrf = document.querySelector('meta[name="xun-csrf"]').content;
  const text = $('text'), gutter = $('gutter'), status = $('status');
  const problemsList = $('problems'), result = $('result');
  const templates = JSON.parse($('templates').textContent);
  let last = null, timer = null, sequence = 0;
  const weekdays = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

  function headers() {
    return { 'Content-Type': 'application/yaml', 'X-CSRF-Token': csrf };
  }
  function lineCount() { return text.value.split('\n').length; }
  function drawGutter(bad) {
    const lines = [];
    for (let i = 1; i <= lineCount(); ++i) {
      const span = document.createElement('span');
      span.textContent = String(i);
      span.dataset.line = String(i);
      if (bad && bad.has(i)) { span.className = 'bad'; span.title = bad.get(i); }
      lines.push(span);
    }
    gutter.replaceChildren(...lines);
    gutter.scrollTop = text.scrollTop;
  }
  function goToLine(line, column) {
    const rows = text.value.split('\n');
    let at = 0;
    for (let i = 0; i < line - 1 && i < rows.length; ++i) at += rows[i].length + 1;
    text.focus();
    text.setSelectionRange(at + Math.max(0, (column || 1) - 1), at + (rows[line - 1] || '').length);
  }
  function showProblems(problems) {
    const bad = new Map();
    const items = problems.map((p) => {
      bad.set(p.line, (bad.has(p.line) ? bad.get(p.line) + '\n' : '') + p.message);
      const li = document.createElement('li');
      li.dataset.line = String(p.line);
      li.textContent = '第 ' + p.line + ' 行第 ' + p.column + ' 列：' + p.message;
      li.addEventListener('click', () => goToLine(p.line, p.column));
      return li;
    });
    problemsList.replaceChildren(...items);
    drawGutter(bad);
  }
  function summaryText(s) {
    return '没有问题 No problems：' + s.activities + ' 项活动，' + s.occurrences + ' 次安排' +
      (s.first ? '，' + s.first.slice(0, 10) + ' 至 ' + s.last.slice(0, 10) : '');
  }
  async function validate() {
    const mine = ++sequence;
    status.className = ''; status.textContent = '检查中… Checking…';
    let answer;
    try {
      const r = await fetch('/api/validate', { method: 'POST', headers: headers(), body: text.value });
      answer = await r.json();
      if (!r.ok && !('ok' in answer)) throw new Error(answer.detail || r.status);
    } catch (e) {
      if (mine === sequence) { status.className = 'bad'; status.textContent = '无法检查：' + e.message; }
      return null;
    }
    if (mine !== sequence) return null;
    last = answer;
    showProblems(answer.problems || []);
    if (answer.ok) { status.className = 'ok'; status.textContent = summaryText(answer.summary); }
    else if (answer.conflict) { status.className = 'bad'; status.textContent = '无法排定 Cannot be scheduled：' + answer.conflict.message; }
    else { status.className = 'bad'; status.textContent = '发现 ' + answer.problems.length + ' 个问题 problems'; }
    return answer;
  }
  function schedule() { clearTimeout(timer); timer = setTimeout(validate, 400); }

  function dayText(iso) {
    const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
    const w = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
    return m + '月' + d + '日（' + weekdays[w] + '）';
  }
  function occurrenceText(o) {
    const time = o.all_day ? '全天' : o.start.slice(11, 16) + '-' + o.end.slice(11, 16);
    return dayText(o.start) + ' ' + time + ' ' + o.title;
  }
  function renderMonths(occurrences) {
    const byMonth = new Map();
    for (const o of occurrences) {
      const m = Number(o.start.slice(5, 7));
      if (!byMonth.has(m)) byMonth.set(m, []);
      byMonth.get(m).push(o);
    }
    const sections = [];
    for (const [m, list] of [...byMonth.entries()].sort((a, b) => a[0] - b[0])) {
      const section = document.createElement('section');
      section.id = 'preview-month-' + m;
      const h = document.createElement('h3');
      h.textContent = m + '月（' + list.length + '）';
      const ul = document.createElement('ul');
      for (const o of list) { const li = document.createElement('li'); li.textContent = occurrenceText(o); ul.append(li); }
      section.append(h, ul);
      sections.push(section);
    }
    $('months').replaceChildren(...sections);
  }
  function when(iso) { return dayText(iso) + (iso.length > 10 ? ' ' + iso.slice(11, 16) : ''); }
  function listItems(texts) {
    return texts.map((t) => { const li = document.createElement('li'); li.textContent = t; return li; });
  }
  // A new plan: the checked schedule. An existing one: the schedule the
  // change would publish (re-planned around the published one) and its moves.
  async function preview() {
    const answer = await validate();
    if (!answer) return;
    $('preview').hidden = false;
    let occurrences = answer.ok ? answer.schedule.occurrences : [];
    const moves = [];
    if (answer.ok && planId) {
      const r = await fetch('/api/plans/' + encodeURIComponent(planId) + '?dry_run=1',
                            { method: 'PUT', headers: headers(), body: text.value });
      const d = await r.json();
      if (d.schedule) occurrences = d.schedule.occurrences;
      const titles = new Map(occurrences.map((o) => [o.id, o.title]));
      for (const m of d.moved || [])
        moves.push('会移动 would move：' + (titles.get(m.id) || m.id) + '，' + when(m.from) + ' → ' + when(m.to));
      for (const w of d.would_move || []) moves.push('不能这样改 refused：' + w);
      if (moves.length === 0) moves.push('已发布的安排都不会移动 Nothing published would move.');
    }
    renderMonths(occurrences);
    $('moves').replaceChildren(...listItems(moves));
    $('preview').scrollIntoView({ block: 'start' });
  }
  async function publish() {
    result.textContent = '发布中… Publishing…';
    const url = planId ? '/api/plans/' + encodeURIComponent(planId) : '/api/plans?file=plan.yaml';
    const r = await fetch(url, { method: planId ? 'PUT' : 'POST', headers: headers(), body: text.value });
    const d = await r.json();
    if (r.ok) {
      result.textContent = '已发布 Published：第 ' + d.revision + ' 版。';
      location.assign('/plans/' + encodeURIComponent(d.id));
      return;
    }
    if (d.id && !planId) { // kept as a draft: from now on this text is that plan
      planId = d.id;
      main.dataset.planId = planId;
      history.replaceState(null, '', '/plans/' + encodeURIComponent(planId) + '/edit');
    }
    result.textContent = '未发布 Not published：' + (d.detail || r.status) +
      (d.id ? '（草稿已保存为 ' + d.id + ' 的第 ' + d.revision + ' 版）' : '');
    if (d.problems) showProblems(d.problems);
  }

  text.addEventListener('input', () => { drawGutter(null); schedule(); });
  text.addEventListener('scroll', () => { gutter.scrollTop = text.scrollTop; });
  $('preview-button').addEventListener('click', preview);
  $('publish-button').addEventListener('click', publish);
  const chooser = $('template');
  if (chooser) chooser.addEventListener('change', () => {
    if (text.value.trim() && !confirm('用模板替换现有文本？ Replace the text with the template?')) return;
    text.value = templates[chooser.value] || '';
    drawGutter(null); validate();
  });
  drawGutter(null);
  if (text.value.trim()) validate();
})();
)js";
  return script;
}

} // namespace xun::http
