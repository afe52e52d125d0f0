#!/usr/bin/python3
"""Checks an .ics file with python-icalendar: it must parse, hold a VCALENDAR
with VERSION and PRODID, and every VEVENT must have UID, DTSTAMP and DTSTART;
a timed DTSTART with TZID must come out zone-aware and have its VTIMEZONE.

Usage: check_ics_icalendar.py FILE [--events N]   (exit 0 = accepted)
"""
import datetime
import sys

import icalendar


def fail(message):
    print("check_ics_icalendar: " + message, file=sys.stderr)
    sys.exit(1)


def main(argv):
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--events"):
        fail("usage: check_ics_icalendar.py FILE [--events N]")
    with open(argv[1], "rb") as f:
        data = f.read()
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception as e:  # the library raises ValueError and friends
        fail("does not parse: %s" % e)
    if calendar.name != "VCALENDAR":
        fail("top component is %s, not VCALENDAR" % calendar.name)
    for key in ("VERSION", "PRODID"):
        if key not in calendar:
            fail("calendar has no " + key)
    zones = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    events = calendar.walk("VEVENT")
    for event in events:
        uid = str(event.get("UID", "?"))
        for key in ("UID", "DTSTAMP", "DTSTART"):
            if key not in event:
                fail("event %s has no %s" % (uid, key))
        start_prop = event["DTSTART"]
        start = event.decoded("DTSTART")
        tzid = start_prop.params.get("TZID")
        if isinstance(start, datetime.datetime):
            if tzid is not None:
                if start.tzinfo is None:
                    fail("event %s: DTSTART with TZID=%s came out floating" % (uid, tzid))
                if str(tzid) not in zones:
                    fail("event %s: TZID=%s has no VTIMEZONE" % (uid, tzid))
        elif not isinstance(start, datetime.date):
            fail("event %s: DTSTART is not a date or date-time" % uid)
        if "DTEND" in event and event.decoded("DTEND") < start:
            fail("event %s ends before it starts" % uid)
        for alarm in event.walk("VALARM"):
            if "TRIGGER" not in alarm or "ACTION" not in alarm:
                fail("event %s: VALARM without TRIGGER or ACTION" % uid)
            if str(alarm["ACTION"]) == "DISPLAY" and "DESCRIPTION" not in alarm:
                fail("event %s: DISPLAY alarm without DESCRIPTION" % uid)
    if len(argv) == 4 and len(events) != int(argv[3]):
        fail("expected %s events, found %d" % (argv[3], len(events)))
    print("check_ics_icalendar: %d events OK" % len(events))


if __name__ == "__main__":
    main(sys.argv)
