// The plan page's one script (served at /assets/plan-page.js, no build step):
// the owner's record form sends PUT/DELETE …/records/{occ} as JSON and shows
// the answer in the page's language; the admin's sharing panel makes the plan
// public or private and issues or revokes its read link; printing drops ?key=
// from the address the browser prints in its footer.
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
    network: '未能连接服务器，没有保存。', why: '原因：',
    isPublic: '现在：公开，任何人都能看。', isPrivate: '现在：私有。', hasLink: '有一个阅读链接在用。',
    noLink: '没有阅读链接。', newLink: '新的阅读链接只显示这一次，请复制后发给要看的人：',
    revoked: '阅读链接已撤销，持旧链接的人看不到了。', copied: '已复制。', notChanged: '未能更改：',
    signIn: '登录已过期，请重新登录。'
  } : {
    saved: 'Saved: the plan is now revision {n}.', deleted: 'Record removed: the plan is now revision {n}.',
    moved: 'The re-plan moved {n}:', none: 'Nothing else moved.',
    refused: 'Not saved: this would move what is frozen or recorded:', invalid: 'Not saved: the record is wrong:',
    unschedulable: 'Not saved: the plan cannot be scheduled with this record:',
    token: 'The admin token is wrong; enter it again.', missing: 'Enter the admin token first.',
    start: 'A move needs the new start time.',
    notFound: 'This occurrence is not in the plan (it may have changed); reload the page.',
    failed: 'Not saved: ', network: 'The server could not be reached; nothing was saved.', why: 'Why: ',
    isPublic: 'Now: public, anyone can see it.', isPrivate: 'Now: private.',
    hasLink: 'A read link is in use.', noLink: 'No read link.',
    newLink: 'The new read link is shown only this once; copy it and send it to the readers:',
    revoked: 'The read link is revoked: its holders see nothing now.', copied: 'Copied.',
    notChanged: 'Not changed: ', signIn: 'The session has expired; sign in again.'
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

  // The signed-in admin's page carries the session's CSRF token: changes go
  // with the session cookie, no token to type.
  const sharing = document.getElementById('sharing');
  const csrf = sharing && sharing.dataset.csrf !== '-' ? sharing.dataset.csrf : '';
  if (sharing && csrf) setUpSharing();

  function setUpSharing() {
    const byId = (id) => document.getElementById(id);
    const state = byId('sharing-state'), note = byId('sharing-answer'), box = byId('read-link-box');
    const link = byId('read-link');
    const api = '/api/plans/' + encodeURIComponent(sharing.dataset.plan);
    const tell = (kind, text) => { note.className = 'answer ' + kind; note.textContent = text; };
    async function call(method, path, body) {
      const headers = { 'X-CSRF-Token': csrf };
      if (body) headers['Content-Type'] = 'application/json';
      const res = await fetch(api + path, { method, headers, credentials: 'same-origin',
                                            body: body ? JSON.stringify(body) : undefined });
      const answer = res.status === 204 ? {} : await res.json().catch(() => ({}));
      if (res.status === 401) throw new Error(say.signIn);
      if (!res.ok) throw new Error(answer.detail || answer.title || String(res.status));
      return answer;
    }
    function show(access) {
      state.textContent = (access.public ? say.isPublic : say.isPrivate) + (zh ? '' : ' ') +
                          (access.read_link ? say.hasLink : say.noLink);
      byId('make-public').hidden = !!access.public;
      byId('make-private').hidden = !access.public;
      byId('revoke-read-link').hidden = !access.read_link;
    }
    const load = () => call('GET', '').then((plan) => show(plan.access || {}));
    const act = (work) => async () => {
      try { await work(); await load(); } catch (e) { tell('error', say.notChanged + e.message); }
    };
    byId('make-public').addEventListener('click', act(async () => {
      await call('PATCH', '', { public: true }); tell('ok', say.isPublic);
    }));
    byId('make-private').addEventListener('click', act(async () => {
      await call('PATCH', '', { public: false }); tell('ok', say.isPrivate);
    }));
    byId('new-read-link').addEventListener('click', act(async () => {
      const answer = await call('POST', '/read-link');
      link.value = answer.read_link;
      box.hidden = false;
      tell('ok', say.newLink);
      link.select();
    }));
    byId('revoke-read-link').addEventListener('click', act(async () => {
      await call('DELETE', '/read-link');
      box.hidden = true;
      link.value = '';
      tell('ok', say.revoked);
    }));
    byId('copy-read-link').addEventListener('click', async () => {
      link.select();
      try { await navigator.clipboard.writeText(link.value); tell('ok', say.copied); } catch (e) {}
    });
    load().catch((e) => tell('error', say.notChanged + e.message));
  }

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
    tokenLabel.hidden = !!csrf || !!sessionStorage.getItem(tokenKey);
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
      if (!sessionStorage.getItem(tokenKey)) return [say.signIn];
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
    if (!token && !csrf) { show('error', [say.missing]); return; }
    const record = body();
    if (record.status === 'moved' && !record.start) { show('error', [say.start]); return; }
    const url = '/api/plans/' + encodeURIComponent(form.dataset.plan) + '/records/' +
                encodeURIComponent(select.value);
    const clear = record.status === 'clear';
    let res, answerBody;
    try {
      res = await fetch(url, {
        method: clear ? 'DELETE' : 'PUT',
        headers: Object.assign(token ? { Authorization: 'Bearer ' + token } : { 'X-CSRF-Token': csrf },
                               clear ? {} : { 'Content-Type': 'application/json' }),
        credentials: 'same-origin',
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
