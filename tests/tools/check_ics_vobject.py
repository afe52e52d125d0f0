#!/usr/bin/python3
"""Checks an .ics file with vobject: readComponents must give exactly one
VCALENDAR, every VEVENT must have UID and DTSTART, and a timed DTSTART with
TZID must be zone-aware (vobject builds the zone from our VTIMEZONE).

Usage: check_ics_vobject.py FILE [--events N]   (exit 0 = accepted)
"""
import datetime
import sys

import vobject


def fail(message):
    print("check_ics_vobject: " + message, file=sys.stderr)
    sys.exit(1)


def main(argv):
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--events"):
        fail("usage: check_ics_vobject.py FILE [--events N]")
    with open(argv[1], encoding="utf-8") as f:
        text = f.read()
    try:
        components = list(vobject.readComponents(text, validate=True))
    except Exception as e:  # vobject raises ParseError, ValidateError, ...
        fail("does not parse: %s" % e)
    if len(components) != 1 or components[0].name != "VCALENDAR":
        fail("expected one VCALENDAR, found %s" % [c.name for c in components])
    calendar = components[0]
    zones = {tz.tzid.value for tz in calendar.contents.get("vtimezone", [])}
    events = calendar.contents.get("vevent", [])
    for event in events:
        uid = event.uid.value if hasattr(event, "uid") else "?"
        if not hasattr(event, "uid") or not hasattr(event, "dtstart"):
            fail("event %s has no UID or DTSTART" % uid)
        start = event.dtstart.value
        if isinstance(start, datetime.datetime) and "TZID" in event.dtstart.params:
            if start.tzinfo is None:
                fail("event %s: DTSTART with TZID came out floating" % uid)
        if hasattr(event, "dtend") and event.dtend.value < start:
            fail("event %s ends before it starts" % uid)
        # Serialising exercises vobject's own validation of every line.
        event.serialize()
    # vobject falls back to its own zones for a TZID without VTIMEZONE, and
    # drops the parameter when it converts: look at the untransformed lines.
    raw = next(vobject.readComponents(text, transform=False))
    for event in raw.contents.get("vevent", []):
        for key in ("dtstart", "dtend"):
            for line in event.contents.get(key, []):
                for tzid in line.params.get("TZID", []):
                    if tzid not in zones:
                        fail("event %s: TZID=%s has no VTIMEZONE" % (event.uid.value, tzid))
    if len(argv) == 4 and len(events) != int(argv[3]):
        fail("expected %s events, found %d" % (argv[3], len(events)))
    print("check_ics_vobject: %d events OK" % len(events))


if __name__ == "__main__":
    main(sys.argv)
