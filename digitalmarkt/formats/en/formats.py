"""English as the portal's readers use it: German authorities, European day-first dates.

Django's `en` formats are American (m/d/Y, 12-hour clock); a Landratsamt reading the English
pages would misread 03/04/2026. Only what differs from Django's `en` is set here.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
# Date fields keep the ISO format of <input type="date"> first, then the day-first forms.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"]
