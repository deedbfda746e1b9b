# "7 de diciembre de 2026 a las 18:44", "7 dic 2026, 18:44".
DATE_FORMAT = r"j \d\e F \d\e Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"j \d\e F \d\e Y \a \l\a\s H:i"
YEAR_MONTH_FORMAT = r"F \d\e Y"
MONTH_DAY_FORMAT = r"j \d\e F"
SHORT_DATE_FORMAT = "j b Y"
SHORT_DATETIME_FORMAT = "j b Y, H:i"
FIRST_DAY_OF_WEEK = 1  # lunes
# Dates typed into a form: ISO 8601 first, which a date input must display (Django's Spanish
# default, 07/12/2026, leaves <input type="date"> empty), then the Spanish forms.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2026-12-07'
    "%d/%m/%Y",  # '07/12/2026'
    "%d/%m/%y",  # '07/12/26'
]
