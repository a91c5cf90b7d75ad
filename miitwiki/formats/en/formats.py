"""English dates as the wiki has always written them: "5 December 2026, 14:30"
rather than Django's American "Dec. 5, 2026, 2:30 p.m."."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
