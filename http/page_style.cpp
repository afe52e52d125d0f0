// The pages' one stylesheet: a month grid above 600 px, a list of each
// month's days below (the same table, laid out as blocks), and print.
#include "http/page.hpp"
#include "http/page_parts.hpp"

namespace xun::http::page {

namespace {

constexpr const char *style = R"css(
:root { --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --off: #fbe9e7; --makeup: #e8f5e9;
        --weekend: #f6f8fa; --accent: #b71c1c; --today: #0969da; --ok: #1a7f37; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", system-ui, sans-serif; color: var(--ink);
       margin: 1.5rem auto; max-width: 78rem; padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: .25rem 0 .5rem; }
.meta { color: var(--muted); margin: 0 0 1rem; }
.lang { float: right; margin-left: 1rem; }
.note { border-left: 4px solid var(--accent); background: #fff8f6; padding: .5rem .75rem; }
.subscribe { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; margin: .5rem 0 1rem; }
.subscribe a, .lang a { color: #0550ae; overflow-wrap: anywhere; }
.legend { display: flex; flex-wrap: wrap; gap: .3rem .5rem; align-items: center; font-size: .85rem; }
.legend span { padding: 0 .4rem; border: 1px solid var(--line); border-radius: 3px; }
.legend .today-key { outline: 2px solid var(--today); outline-offset: -2px; }
.panel { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0; }
.year { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(36rem, 100%), 1fr));
        gap: 1.25rem; }
.month h2 { font-size: 1.1rem; margin: .25rem 0; }
table.grid { border-collapse: collapse; width: 100%; table-layout: fixed; }
.grid th { font-weight: 600; font-size: .8rem; color: var(--muted); padding: .15rem; }
.grid td { position: relative; border: 1px solid var(--line); vertical-align: top; height: 4.6rem;
           padding: .15rem .2rem; font-size: .72rem; }
.grid td.pad { background: transparent; border-color: transparent; }
.grid td.weekend { background: var(--weekend); }
.grid td.holiday, .grid td.closed { background: var(--off); }
.grid td.makeup, .grid td.opened { background: var(--makeup); }
.grid td.today { outline: 2px solid var(--today); outline-offset: -2px; }
.day { font-weight: 600; }
.wd, .none-month { display: none; }
.today-label { color: var(--today); font-weight: 600; margin-left: .2rem; font-size: .65rem; }
.tag { font-size: .65rem; color: var(--accent); margin-left: .2rem; }
.makeup .tag, .opened .tag { color: #1b5e20; }
.occ { display: block; margin-top: .1rem; border-radius: 3px; background: #ddf4ff;
       font-size: .68rem; line-height: 1.25; }
.occ > summary { list-style: none; cursor: pointer; padding: 0 .2rem; overflow-wrap: anywhere; }
.occ > summary::-webkit-details-marker { display: none; }
.occ[open] > summary { font-weight: 600; }
.grid .occ .name { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 3;
                   overflow: hidden; }
.grid .occ .mark { display: inline-block; margin-left: 0; margin-right: .2rem; }
.more .title { font-weight: 600; }
.all-day { font-size: .9em; color: var(--muted); }
.k-deadline, .k-dues { background: #fff1c2; }
.k-meeting { background: #e7dcff; }
.k-study { background: #dafbe1; }
.k-inspection, .k-research { background: #ffe2cc; }
.k-report { background: #ffd8e4; }
.k-other { background: #ddf4ff; }
.doc-links { font-size: .9rem; }
.doc-links button { margin-left: .75rem; }
/* The plan as a document: on paper, and on screen when asked for (#document). */
.document { display: none; max-width: 46rem; margin: 2rem auto; line-height: 1.7; }
.document:target { display: block; border-top: 1px solid var(--line); padding-top: 1rem; }
.document h1 { text-align: center; font-size: 1.5rem; }
.document .doc-year { text-align: center; color: var(--muted); margin: 0 0 1rem; }
.document h2 { font-size: 1.15rem; margin: 1.2rem 0 .3rem; }
.document h3 { font-size: 1rem; margin: .6rem 0 .2rem 1em; }
.document ol { list-style: none; margin: 0 0 0 2em; padding: 0; }
.document li { text-indent: -1.6em; padding-left: 1.6em; break-inside: avoid; }
.document li.cancelled .what { text-decoration: line-through; }
.document .where, .document .state { color: var(--muted); }
.document .none { margin-left: 2em; color: var(--muted); }
.occ.cancelled > summary { color: var(--muted); }
.mark { font-weight: 600; white-space: nowrap; margin-left: .15rem; }
.mark.done { color: var(--ok); }
.mark.cancelled { color: var(--muted); }
.mark.not-recorded { color: #9a6700; }
.mark.moved { color: #8250df; }
.more { position: absolute; z-index: 10; left: 0; width: 17rem; max-width: 80vw; margin-top: .1rem;
        background: #fff; border: 1px solid var(--line); border-radius: 4px; padding: .4rem .6rem;
        box-shadow: 0 4px 12px rgba(0, 0, 0, .15); font-size: .8rem; line-height: 1.4; }
.grid td:nth-child(n+5) .more { left: auto; right: 0; }
.more p { margin: .15rem 0; }
.more .desc { color: var(--muted); }
button, input, select, textarea { font: inherit; }
.quotas { list-style: none; padding: 0; margin: .5rem 0; display: grid; gap: .6rem 1.5rem;
          grid-template-columns: repeat(auto-fill, minmax(min(20rem, 100%), 1fr)); }
.q-head { display: flex; justify-content: space-between; gap: .5rem; }
.q-title { font-weight: 600; overflow-wrap: anywhere; }
.q-count { white-space: nowrap; }
.bar { display: flex; height: .6rem; background: #eaeef2; border-radius: 3px; overflow: hidden; }
.bar .b-done { background: #2da44e; }
.bar .b-upcoming { background: #aceebb; }
.at-risk .bar .b-done { background: #cf222e; }
.at-risk .bar .b-upcoming { background: #ffcecb; }
.risk { color: var(--accent); font-weight: 600; margin-left: .3rem; white-space: nowrap; }
.q-detail { color: var(--muted); font-size: .8rem; margin: .15rem 0 0; }
.low { color: var(--accent); font-weight: 600; }
.score { font-size: 1.05rem; margin: .25rem 0; }
.score strong { font-size: 1.5rem; }
table.items { border-collapse: collapse; width: 100%; font-size: .85rem; }
.items th, .items td { border-bottom: 1px solid var(--line); text-align: left; padding: .2rem .3rem;
                       vertical-align: top; }
.items td.num { white-space: nowrap; }
.moves ul { margin: .25rem 0; padding-left: 1.2rem; }
.record form { display: grid; gap: .5rem; max-width: 36rem; }
.record label { display: grid; gap: .15rem; }
.record select, .record input[type=text], .record input[type=password],
.record input[type=datetime-local] { width: 100%; padding: .3rem; }
.record fieldset { border: 1px solid var(--line); border-radius: 4px; margin: 0; }
.record .choices { display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
.record .choices label { display: inline-flex; gap: .25rem; align-items: center; }
.people-table td { padding: .1rem .5rem .1rem 0; }
.answer { white-space: pre-line; }
.answer.ok { border-left: 4px solid var(--ok); background: #f0fff4; padding: .5rem .75rem; }
.answer.error { border-left: 4px solid var(--accent); background: #fff8f6; padding: .5rem .75rem; }
.warnings li, .problems li { margin: .2rem 0; }
.warnings > summary, .on-track > summary { font-weight: 600; cursor: pointer; margin: .5rem 0; }
footer { color: var(--muted); font-size: .8rem; margin-top: 2rem; }
@media (max-width: 600px) { /* a phone: each month a list of its days */
  body { margin: .75rem auto; padding: 0 .5rem; }
  h1 { font-size: 1.3rem; }
  .lang { float: none; display: block; }
  table.grid, .grid tbody, .grid tr { display: block; width: 100%; }
  .grid thead { display: none; }
  .grid td { display: none; }
  .grid td.busy, .grid td.today, .grid td.makeup, .grid td.first-off { display: grid; grid-template-columns: 5.2rem 1fr;
      gap: .3rem; height: auto; border: 0; border-bottom: 1px solid var(--line);
      padding: .35rem .1rem; font-size: .9rem; }
  .grid td.today { outline-offset: 0; }
  .wd { display: inline; margin-left: .2rem; color: var(--muted); }
  .label .tag, .label .today-label { display: block; margin-left: 0; }
  .occ { font-size: .9rem; margin: 0 0 .25rem; }
  .occ > summary { padding: .15rem .3rem; }
  .more { position: static; width: auto; max-width: none; box-shadow: none; margin: 0; }
  .grid .occ .name { display: inline; }
  .grid .occ .mark { display: inline; margin-left: .15rem; }
  .more .title { display: none; }
  .none-month { display: block; color: var(--muted); font-size: .9rem; margin: .25rem 0; }
}
@media print {
  /* No page margin, so the browser has no room to print its header and footer
     (the address, which may carry ?key=): the body keeps the margin on every page. */
  @page { size: A4 portrait; margin: 0; }
  body { margin: 0; max-width: none; font-size: 10pt; padding: 12mm;
         box-decoration-break: clone; -webkit-box-decoration-break: clone; }
  /* Paper gets the plan's own document and nothing else: no ids, no grid. */
  body > :not(.document) { display: none !important; }
  .subscribe, .noprint, .lang, .secret { display: none; }
  .document, .document:target { display: block; max-width: none; margin: 0; border: 0;
                                padding: 0; font-size: 11pt; }
  .document h2 { break-after: avoid; page-break-after: avoid; }
  .document h3 { break-after: avoid; page-break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
)css";

} // namespace

std::string head(const std::string &title, const Words &w) {
  return std::string("<!DOCTYPE html>\n<html lang=\"") + w.html_lang +
         "\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta name=\"referrer\" content=\"no-referrer\">\n<title>" +
         html_escape(title) + "</title>\n<style>" + style + "</style>\n</head>\n<body>\n";
}

} // namespace xun::http::page
