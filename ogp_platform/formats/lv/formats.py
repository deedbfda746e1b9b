# "2026. gada 7. decembris", "07.12.2026. 18:44": Latvian writes numeric dates day first, with
# dots and a closing dot after the year, which nobody reads month first.
DATE_FORMAT = r"Y. \g\a\d\a j. F"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"Y. \g\a\d\a j. F, H:i"
YEAR_MONTH_FORMAT = r"Y. \g. F"
MONTH_DAY_FORMAT = "j. F"
SHORT_DATE_FORMAT = "d.m.Y."
SHORT_DATETIME_FORMAT = "d.m.Y. H:i"
FIRST_DAY_OF_WEEK = 1  # pirmdiena
# Dates typed into a form: ISO 8601 first (what a date input displays), then the Latvian forms.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2026-12-07'
    "%d.%m.%Y.",  # '07.12.2026.'
    "%d.%m.%Y",  # '07.12.2026'
    "%d.%m.%y",  # '07.12.26'
]
