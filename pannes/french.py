"""French calendar words, written once: the tagger reads them, the dashboard, the demo site
and incident titles write them."""

from __future__ import annotations

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")
# As French newspapers abbreviate them ("21 sept. 2012"); short names stay whole.
MONTHS_SHORT = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
                "oct.", "nov.", "déc.")
# Monday first, as `date.weekday()` counts.
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
