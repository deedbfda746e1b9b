"""How each interface language writes dates and times (Django format modules, found through
`FORMAT_MODULE_PATH`). Settings a module leaves out come from Django's own locale.

One unambiguous style per language, everywhere: the day comes before the month, the month is
written as a word or an abbreviation where a number could be read as the day (12/07 is the 12th
of July in Europe and the 7th of December in the United States), and the clock runs to 24 hours.
Files and feeds for machines (CSV, JSON, iCalendar) use ISO 8601 instead (`ogp_platform.opendata`).
"""
