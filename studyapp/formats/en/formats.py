"""English dates day first, as the site wrote them before it had languages ("5 December 2026");
anything not named here comes from Django's English formats."""

DATE_FORMAT = "j F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
