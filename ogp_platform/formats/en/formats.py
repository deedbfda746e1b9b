# English as written in Europe: "7 December 2026", "7 Dec 2026, 18:44". Django's default English
# (12/07/2026 6:44 p.m., month first) is misread by most of OGP's readers.
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
# Dates typed into a form: ISO 8601 first (what date pickers send, and what a date input
# displays), then day-first forms only, so that 07/12/2026 is the 7th of December here too.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2026-12-07'
    "%d/%m/%Y",  # '07/12/2026'
    "%d/%m/%y",  # '07/12/26'
    "%d %b %Y",  # '7 Dec 2026'
    "%d %B %Y",  # '7 December 2026'
]
