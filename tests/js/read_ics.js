// Reads an .ics file with Mozilla's ical.js (the parser Thunderbird uses) and prints
// JSON: the calendar's name and colour, and each VEVENT's uid, summary, dtstart, dtend, categories.
// Used only by tests/test_ics.py as an independent reader.
"use strict";
const fs = require("fs");
const ICAL = require("ical.js");

function when(prop) {
  if (!prop) return null;
  const value = prop.getFirstValue();
  return {
    value: value.toString(),          // 2020-10-05 for a DATE, 2020-10-05T13:30:00 otherwise
    is_date: value.isDate,
    tzid: prop.getParameter("tzid") || null,
    type: prop.type,
    // The instant in UTC, through the feed's own VTIMEZONE (registered below).
    utc: value.isDate ? null : value.convertToZone(ICAL.Timezone.utcTimezone).toString(),
  };
}

const text = fs.readFileSync(process.argv[2], "utf8");
const root = new ICAL.Component(ICAL.parse(text));
for (const vtimezone of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(vtimezone);
}
const events = root.getAllSubcomponents("vevent").map((vevent) => ({
  uid: vevent.getFirstPropertyValue("uid"),
  summary: vevent.getFirstPropertyValue("summary"),
  description: vevent.getFirstPropertyValue("description"),
  location: vevent.getFirstPropertyValue("location"),
  status: vevent.getFirstPropertyValue("status"),
  sequence: vevent.getFirstPropertyValue("sequence"),
  categories: vevent.getAllProperties("categories").flatMap((p) => p.getValues()),
  dtstart: when(vevent.getFirstProperty("dtstart")),
  dtend: when(vevent.getFirstProperty("dtend")),
}));
process.stdout.write(JSON.stringify({
  name: root.getFirstPropertyValue("name"),
  color: root.getFirstPropertyValue("color"),
  timezones: root.getAllSubcomponents("vtimezone").map((z) => z.getFirstPropertyValue("tzid")),
  events,
}));
