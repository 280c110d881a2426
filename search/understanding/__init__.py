"""Query understanding: what a reader means beyond the words typed.

- ``synonyms.py``: acronyms, synonyms and spellings of names (``ONU`` also
  searches « Nations unies »), from the shipped ``synonyms.txt`` and the
  operator's list, both in Solr's format;
- ``dates.py``: dates written in words (« septembre 2017 », « hier ») → a
  period filter, taken out of the words searched;
- ``labels.py``: periods said in French, for the page's chip and the API;
- ``reading.py``: the settings an engine reads queries with (list, time
  zone, clock) and what one query was understood to mean.

The query language itself (words, phrases, operators, fields) is read by
``search/syntax.py`` and built by ``search/query.py``.
"""

from .dates import DateReading, read_dates
from .labels import french_period
from .reading import DEFAULT_TIMEZONE, Understanding, Understood, time_zone
from .synonyms import Expansion, Problem, Synonyms, key_of, load_synonyms, shipped_synonyms

__all__ = [
    "DEFAULT_TIMEZONE",
    "DateReading",
    "Expansion",
    "Problem",
    "Synonyms",
    "Understanding",
    "Understood",
    "french_period",
    "key_of",
    "load_synonyms",
    "read_dates",
    "shipped_synonyms",
    "time_zone",
]
