"""Kiosque's library: French news articles, their analysis, the index and its search.

It never imports Flask: the web app and the CLI are thin layers over it.
"""

from .analysis import french_analyzer
from .article import Article, ArticleError
from .engine import ArticleView, Engine, Hit, NoIndex, SearchResponse
from .generations import IndexLocation
from .indexer import IndexReport, NothingToIndex, build_index, update_index
from .locking import IndexLocked
from .ranking import RankingConfig
from .request import InvalidParameter, Period, SearchRequest, parse_request
from .sources import read_sources

__all__ = [
    "Article",
    "ArticleView",
    "ArticleError",
    "Engine",
    "Hit",
    "IndexLocation",
    "IndexLocked",
    "IndexReport",
    "InvalidParameter",
    "NoIndex",
    "NothingToIndex",
    "Period",
    "RankingConfig",
    "SearchRequest",
    "SearchResponse",
    "build_index",
    "french_analyzer",
    "parse_request",
    "read_sources",
    "update_index",
]
