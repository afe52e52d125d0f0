// The plan page's one script (served at /assets/plan-page.js, no build step):
// the owner's record form sends PUT/DELETE …/records/{occ} as JSON and shows
// the answer in the page's language; printing drops ?key= from the address
// the browser prints in its footer.
#include "http/page.hpp"

namespace xun::http {

namespace {

constexpr const char *script = R"js('use strict';
(() => {
  const zh = document.documentElement.lang !== 'en';
  const say = zh ? {
    saved: '已保存：计划现为第 {n} 版。', deleted: '已撤销记录：计划现为第 {n} 版。',
    moved: '重新安排后移动了 {n} 项：', none: '没有其他活动因此移动。',
    refused: '未保存：这样会移动已冻结或已记录的活动：', invalid: '未保存：记录有误：',
    unschedulable: '未保存：按这条记录无法排期：', token: '管理令牌不对，请重新输入。',
    missing: '请先填写管理令牌。', start: '改期需要填写新的开始时间。',
    notFound: '找不到这项活动（计划可能已经变了），请刷新页面。', failed: '未保存：',
    network: '未能连接服务器，没有保存。', why: '原因：'
  } : {
    saved: 'Saved: the plan is now revision {n}.', deleted: 'Record removed: the plan is now revision {n}.',
    moved: 'The re-plan moved {n}:', none: 'Nothing else moved.',
    refused: 'Not saved: this would move what is frozen or recorded:', invalid: 'Not saved: the record is wrong:',
    unschedulable: 'Not saved: the plan cannot be scheduled with this record:',
    token: 'The admin token is wrong; enter it again.', missing: 'Enter the admin token first.',
    start: 'A move needs the new start time.',
    notFound: 'This occurrence is not in the plan (it may have changed); reload the page.',
    failed: 'Not saved: ', network: 'The server could not be reached; nothing was saved.', why: 'Why: '
  };
  const tokenKey = 'xun-admin-token';
  // "2026-06-25T14:00:00+08:00" → 6月25日 14:00 / 06-25 14:00; dates alone for all-day moves.
  const when = (t) => {
    const [, m, d, hm] = /^\d{4}-(\d\d)-(\d\d)(?:T(\d\d:\d\d))?/.exec(t) || [, '', '', ''];
    if (!m) return t;
    return (zh ? (+m) + '月' + (+d) + '日' : m + '-' + d) + (hm ? ' ' + hm : '');
  };

  // The footer of a printed page shows the address: keep the feed key off paper.
  const address = location.href;
  if (new URLSearchParams(location.search).has('key')) {
    addEventListener('beforeprint', () => history.replaceState(null, '', location.pathname));
    addEventListener('afterprint', () => history.replaceState(null, '', address));
  }

  document.getElementById('print-plan')?.addEventListener('click', () => print());

  const form = document.getElementById('record-form');
  if (!form) return;
  const answer = document.getElementById('record-answer');
  const select = form.elements.occurrence;
  const tokenLabel = document.getElementById('record-token');
  const reload = document.getElementById('record-reload');

  const status = () => form.querySelector('input[name=status]:checked').value;
  const expected = () => (select.selectedOptions[0]?.dataset.people || '').split(' ').filter(Boolean);
  function refresh() {
    const people = expected();
    for (const row of form.querySelectorAll('#record-people tr[data-person]'))
      row.hidden = !people.includes(row.dataset.person);
    document.getElementById('record-people').hidden = status() !== 'done' || people.length === 0;
    document.getElementById('record-times').hidden = status() !== 'moved';
    tokenLabel.hidden = !!sessionStorage.getItem(tokenKey);
  }
  select.addEventListener('change', refresh);
  for (const radio of form.elements.status) radio.addEventListener('change', refresh);
  for (const button of document.querySelectorAll('.record-this'))
    button.addEventListener('click', () => {
      select.value = button.dataset.uid;
      refresh();
      form.scrollIntoView({ block: 'start' });
      select.focus();
    });
  reload.addEventListener('click', () => location.reload());
  refresh();

  function show(kind, lines) {
    answer.className = 'answer ' + kind;
    answer.textContent = lines.filter(Boolean).join('\n');
  }

  function body() {
    const out = { status: status() };
    if (out.status === 'done' && expected().length) {
      out.present = []; out.leave = [];
      for (const person of expected()) {
        const how = form.elements['person-' + person].value;
        if (how === 'present') out.present.push(person);
        if (how === 'leave') out.leave.push(person);
      }
    }
    if (out.status === 'moved') {
      out.start = form.elements.start.value;
      if (form.elements.end.value) out.end = form.elements.end.value;
    }
    const note = form.elements.note.value.trim();
    if (note) out.note = note;
    return out;
  }

  function problemLines(res, problem) {
    const detail = problem.detail ? say.why + problem.detail : '';
    if (res.status === 401) {
      sessionStorage.removeItem(tokenKey);
      refresh();
      return [say.token];
    }
    if (res.status === 404) return [say.notFound, detail];
    const type = String(problem.type || '');
    if (type.endsWith('/would-move')) return [say.refused, ...(problem.would_move || []).map(m => '· ' + m)];
    if (type.endsWith('/invalid-record'))
      return [say.invalid, ...(problem.problems || []).map(p => '· ' + p.message)];
    if (type.endsWith('/unschedulable')) return [say.unschedulable, problem.conflict?.message || problem.detail];
    return [say.failed + (problem.title || res.status), detail];
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const typed = form.elements.token.value.trim();
    if (typed) sessionStorage.setItem(tokenKey, typed);
    const token = sessionStorage.getItem(tokenKey);
    if (!token) { show('error', [say.missing]); return; }
    const record = body();
    if (record.status === 'moved' && !record.start) { show('error', [say.start]); return; }
    const url = '/api/plans/' + encodeURIComponent(form.dataset.plan) + '/records/' +
                encodeURIComponent(select.value);
    const clear = record.status === 'clear';
    let res, answerBody;
    try {
      res = await fetch(url, {
        method: clear ? 'DELETE' : 'PUT',
        headers: Object.assign({ Authorization: 'Bearer ' + token },
                               clear ? {} : { 'Content-Type': 'application/json' }),
        body: clear ? undefined : JSON.stringify(record)
      });
      answerBody = await res.json().catch(() => ({}));
    } catch (e) {
      show('error', [say.network]);
      return;
    }
    form.elements.token.value = '';
    if (!res.ok) { show('error', problemLines(res, answerBody)); return; }
    const moved = answerBody.moved || [];
    show('ok', [(clear ? say.deleted : say.saved).replace('{n}', answerBody.revision),
                moved.length ? say.moved.replace('{n}', moved.length) : say.none,
                ...moved.map(m => '· ' + m.id + (zh ? '：' : ': ') + when(m.from) + ' → ' + when(m.to))]);
    reload.hidden = false;
    form.elements.note.value = '';
    for (const choice of form.querySelectorAll('#record-people select')) choice.value = 'present';
    refresh();
  });
})();
)js";

} // namespace

const std::string &plan_page_script() {
  static const std::string text = script;
  return text;
}

} // namespace xun::http
