"""Dates known only to the month or the year, shown as such.

After `{% load commitment_dates %}`,
`{{ commitment.start_date|partial_date:commitment.start_date_precision }}` prints
"1 July 2014", "July 2014" or "2014" in the reader's language, never a day nobody gave
(imported commitments often have only a month or a year: see `DatePrecision`).
"""

import datetime

from django import template
from django.utils.formats import date_format

from ..models import DatePrecision

register = template.Library()

FORMATS = {
    DatePrecision.DAY: "DATE_FORMAT",
    DatePrecision.MONTH: "YEAR_MONTH_FORMAT",
    DatePrecision.YEAR: "Y",
}


@register.filter
def partial_date(value, precision=DatePrecision.DAY):
    """The date to its precision (day, month or year), localised; "" for no date."""
    if not isinstance(value, datetime.date):
        return ""
    return date_format(value, FORMATS.get(precision, "DATE_FORMAT"))
