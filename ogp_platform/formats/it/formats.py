# "7 Dicembre 2026", "7 dic 2026, 18:44".
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j b Y"
SHORT_DATETIME_FORMAT = "j b Y, H:i"
FIRST_DAY_OF_WEEK = 1  # lunedì
# Dates typed into a form: ISO 8601 first, which a date input must display (Django's Italian
# default, 07/12/2026, leaves <input type="date"> empty), then the Italian forms.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2026-12-07'
    "%d/%m/%Y",  # '07/12/2026'
    "%Y/%m/%d",  # '2026/12/07'
    "%d-%m-%Y",  # '07-12-2026'
    "%d-%m-%y",  # '07-12-26'
    "%d/%m/%y",  # '07/12/26'
]
