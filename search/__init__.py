"""Kiosque's library: French news articles, their analysis, the index and its search.

It never imports Flask: the web app and the CLI are thin layers over it.
"""

from .analysis import french_analyzer
from .article import Article, ArticleError
from .engine import Engine, Hit, NoIndex, SearchResult
from .generations import IndexLocation
from .indexer import IndexReport, NothingToIndex, build_index, update_index
from .locking import IndexLocked
from .sources import read_sources

__all__ = [
    "Article",
    "ArticleError",
    "Engine",
    "Hit",
    "IndexLocation",
    "IndexLocked",
    "IndexReport",
    "NoIndex",
    "NothingToIndex",
    "SearchResult",
    "build_index",
    "french_analyzer",
    "read_sources",
    "update_index",
]
