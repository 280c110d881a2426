"""Shared fixtures: demo articles, small article files written on the fly, built indexes."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.indexer import build_index

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "data" / "sample"
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"

needs_corpus = pytest.mark.skipif(
    not (SHARED_CORPUS / "articles").is_dir(), reason="../shared/corpus is not beside the checkout"
)


def article_text(
    title: str,
    body: str = "Un paragraphe de corps.",
    *,
    day: str = "2026-03-06",
    category: str = "Politique",
    author: str | None = "Salma Idrissi",
    tags: tuple[str, ...] = ("Maroc",),
    lede: str | None = None,
) -> str:
    """An article in the source text format, for tests that need a few of them."""
    year, month, dd = day.split("-")
    blocks = [f"date {day} {category}", title]
    if lede:
        blocks.append(lede)
    byline = f"Le {dd}/{month}/{year} à 10h30"
    blocks.append(f"Par {author}\n{byline}" if author else byline)
    blocks.append(body)
    if tags:
        blocks.append("".join(f"#{tag}" for tag in tags))
    return "\n\n".join(blocks) + "\n"


def write_article(folder: Path, name: str, title: str, body: str = "Un paragraphe de corps.", **parts) -> Path:
    """Write one article file under ``folder`` and return its path."""
    path = folder / f"{name}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(article_text(title, body, **parts), encoding="utf-8")
    return path


@pytest.fixture
def articles_dir(tmp_path: Path) -> Path:
    """A folder of three small articles."""
    folder = tmp_path / "articles"
    write_article(
        folder,
        "maroc/tramway",
        "Le tramway de Casablanca s’étend vers l’est",
        "La nouvelle ligne du tramway dessert désormais Sidi Moumen.",
        tags=("Transport", "Casablanca"),
    )
    write_article(
        folder,
        "maroc/barrages",
        "Les barrages du Souss à moitié vides",
        "La sécheresse pèse sur les réserves d’eau de la région.",
        tags=("Eau", "Climat"),
    )
    write_article(
        folder,
        "monde/lavrov",
        "Bourita et Lavrov au téléphone",
        "Le ministre Sergueï Lavrov a évoqué le Moyen-Orient et la sécurité régionale.",
        tags=("Diplomatie", "Sergueï Lavrov"),
    )
    return folder


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    """Where a test's index lives."""
    return tmp_path / "index"


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo articles of data/sample, indexed once for the session."""
    folder = tmp_path_factory.mktemp("sample-index")
    report = build_index(folder, [str(SAMPLE_DIR)], procs=1)
    assert report.failed == 0, [str(f) for f in report.failures]
    return folder


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The team's corpus of real articles (text files and BBC Afrique), indexed once for the session."""
    if not (SHARED_CORPUS / "articles").is_dir():
        pytest.skip("the shared corpus is not beside the checkout")
    folder = tmp_path_factory.mktemp("corpus-index")
    sources = [SHARED_CORPUS / "articles", SHARED_CORPUS / "jsonl" / "bbc-afrique.jsonl"]
    report = build_index(folder, [str(source) for source in sources])
    assert (report.added, report.failed) == (2700 + 881, 0), [str(f) for f in report.failures[:5]]
    return folder


@pytest.fixture(scope="session")
def app(sample_index: Path):
    """The web app over the demo articles."""
    from web import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(sample_index)})


@pytest.fixture
def client(app):
    """A test client of the web app."""
    return app.test_client()
