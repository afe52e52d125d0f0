// Checks an .ics file with ical.js: it must parse to one VCALENDAR; each
// VTIMEZONE is registered with ICAL.TimezoneService; each timed event with a
// TZID must start in that registered zone (not floating, not UTC), and the
// instant our VTIMEZONE gives must match the IANA zone as Node's Intl knows it.
// Usage: node check_ics.mjs FILE [--events N]    (exit 0 = accepted)
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

function fail(message) {
  console.error(`check_ics.mjs: ${message}`);
  process.exit(1);
}

const args = process.argv.slice(2);
if (!(args.length === 1 || (args.length === 3 && args[1] === '--events')))
  fail('usage: node check_ics.mjs FILE [--events N]');

let root;
try {
  const jcal = ICAL.parse(readFileSync(args[0], 'utf8'));
  if (!Array.isArray(jcal) || typeof jcal[0] !== 'string')
    fail('expected exactly one top-level component');
  root = new ICAL.Component(jcal);
} catch (e) {
  fail(`does not parse: ${e.message}`);
}
if (root.name !== 'vcalendar') fail(`top component is ${root.name}, not vcalendar`);
for (const key of ['version', 'prodid'])
  if (!root.hasProperty(key)) fail(`calendar has no ${key.toUpperCase()}`);

const zones = new Set();
for (const vtz of root.getAllSubcomponents('vtimezone')) {
  const tzid = vtz.getFirstPropertyValue('tzid');
  if (!tzid) fail('VTIMEZONE without TZID');
  if (tzid.startsWith('/')) fail(`TZID ${tzid} carries a vendor prefix, not an IANA name`);
  ICAL.TimezoneService.register(vtz);
  zones.add(tzid);
}

// Wall time of a JS instant in an IANA zone, or null if Intl does not know it.
function wallIn(tzid, date) {
  let format;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: tzid, hourCycle: 'h23', year: 'numeric', month: 'numeric',
      day: 'numeric', hour: 'numeric', minute: 'numeric',
    });
  } catch {
    return null;
  }
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  return [+parts.year, +parts.month, +parts.day, +parts.hour, +parts.minute];
}

function checkTime(uid, what, time, prop) {
  const tzid = prop.getParameter('tzid');
  if (time.isDate || !tzid) return;
  if (!zones.has(tzid)) fail(`event ${uid}: ${what} TZID=${tzid} has no VTIMEZONE`);
  if (!time.zone || time.zone === ICAL.Timezone.localTimezone)
    fail(`event ${uid}: ${what} came out floating`);
  if (time.zone === ICAL.Timezone.utcTimezone) fail(`event ${uid}: ${what} came out as UTC`);
  if (time.zone.tzid !== tzid) fail(`event ${uid}: ${what} is in ${time.zone.tzid}, not ${tzid}`);
  const expected = wallIn(tzid, time.toJSDate());
  const actual = [time.year, time.month, time.day, time.hour, time.minute];
  if (expected && expected.join() !== actual.join())
    fail(`event ${uid}: ${what} ${time.toString()} ${tzid} is ${time.toJSDate().toISOString()} ` +
         `by the VTIMEZONE, but the tz database puts that instant at ${expected.join(',')}`);
}

const vevents = root.getAllSubcomponents('vevent');
for (const vevent of vevents) {
  const event = new ICAL.Event(vevent);
  const uid = event.uid;
  if (!uid) fail('event without UID');
  if (!event.startDate) fail(`event ${uid} has no DTSTART`);
  if (!vevent.hasProperty('dtstamp')) fail(`event ${uid} has no DTSTAMP`);
  checkTime(uid, 'DTSTART', event.startDate, vevent.getFirstProperty('dtstart'));
  if (vevent.hasProperty('dtend')) {
    checkTime(uid, 'DTEND', event.endDate, vevent.getFirstProperty('dtend'));
    if (event.endDate.compare(event.startDate) < 0) fail(`event ${uid} ends before it starts`);
  }
  for (const alarm of vevent.getAllSubcomponents('valarm')) {
    if (!alarm.hasProperty('trigger') || !alarm.hasProperty('action'))
      fail(`event ${uid}: VALARM without TRIGGER or ACTION`);
    if (alarm.getFirstPropertyValue('action') === 'DISPLAY' && !alarm.hasProperty('description'))
      fail(`event ${uid}: DISPLAY alarm without DESCRIPTION`);
  }
}
if (args.length === 3 && vevents.length !== Number(args[2]))
  fail(`expected ${args[2]} events, found ${vevents.length}`);
console.log(`check_ics.mjs: ${vevents.length} events OK`);
