"""Related articles: a story's follow-up first, articles that only share common words not at all."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from whoosh.analysis import Filter

from search.analysis import french_analyzer, index_terms
from search.engine import Engine
from search.indexer import build_index
from search.related import RelatedConfig, key_terms, term_weights, time_factors

from .conftest import SAMPLE_DIR, write_article

STORY = "2025-11-03-crue-martil"
FOLLOW_UP = "2025-11-07-retour-kouilma"
COMMON_WORDS = "2025-11-04-eclairage-meknes"


def write_story(folder: Path) -> None:
    """A flood in Tétouan, its follow-up four days later, and an article that only shares everyday words."""
    write_article(
        folder,
        STORY,
        "Crue de l’oued Martil : Tétouan évacue les quartiers bas",
        "Les pluies torrentielles tombées sur le Rif ont gonflé l’oued Martil en quelques heures. "
        "Le gouverneur Younes Tazi a ordonné l’évacuation des quartiers bas de Tétouan, dont Kouilma "
        "et Jbel Dersa. La Protection civile a dressé des tentes au stade Saniat Rmel pour les familles "
        "sinistrées.\n\nSelon la préfecture, aucune victime n’est à déplorer, mais des dizaines de "
        "maisons ont été inondées. Les habitants de Kouilma racontent une nuit passée sur les toits.",
        day="2025-11-03",
        category="Société",
        lede="L’oued Martil est sorti de son lit dans la nuit de dimanche à lundi. "
        "Trois cents familles de Tétouan ont été mises à l’abri.",
        tags=("Tétouan", "Inondations", "Oued Martil"),
    )
    write_article(
        folder,
        FOLLOW_UP,
        "Tétouan : les familles de Kouilma rentrent chez elles après la crue de l’oued Martil",
        "Quatre jours après la crue de l’oued Martil, les familles évacuées de Kouilma ont quitté les "
        "tentes du stade Saniat Rmel. Le gouverneur Younes Tazi a promis une aide pour les maisons "
        "inondées de Tétouan.\n\nLa Protection civile poursuit le pompage des caves de Jbel Dersa.",
        day="2025-11-07",
        category="Société",
        lede="La décrue de l’oued Martil permet le retour des sinistrés de Tétouan.",
        tags=("Tétouan", "Inondations"),
    )
    write_article(
        folder,
        COMMON_WORDS,
        "Meknès remplace ses lampadaires par des LED",
        "Le conseil de la ville a voté lundi le remplacement de dix mille lampadaires au sodium par des "
        "luminaires à LED. La commune attend une baisse de moitié de sa facture d’électricité, qui pèse "
        "lourd dans son budget de fonctionnement.\n\nLes travaux commenceront par les quartiers "
        "périphériques, où les habitants se plaignent depuis des années de rues plongées dans la nuit. "
        "Les familles y verront la différence en quelques mois, promet l’adjoint chargé de la voirie. "
        "Les nouveaux candélabres baisseront d’intensité après minuit, une économie d’énergie déjà "
        "testée à Ifrane.",
        day="2025-11-04",
        category="Société",
        tags=("Meknès", "Éclairage public", "Énergie"),
    )


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    """The demo articles plus the story: the demo articles give words their everyday frequency."""
    folder = tmp_path_factory.mktemp("story")
    write_story(folder / "articles")
    build_index(folder / "index", [str(SAMPLE_DIR), str(folder / "articles")], procs=1)
    with Engine(folder / "index") as engine:
        yield engine


def related_ids(engine: Engine, article_id: str) -> list[str]:
    view = engine.article(article_id)
    assert view is not None
    return [hit.id for hit in view.related]


def test_related_lists_the_follow_up_first(engine):
    assert related_ids(engine, STORY)[0] == FOLLOW_UP
    assert related_ids(engine, FOLLOW_UP)[0] == STORY


def test_related_leaves_out_an_article_that_only_shares_common_words(engine):
    # Five slots, and fewer than five related articles: the empty slots stay empty.
    assert COMMON_WORDS not in related_ids(engine, STORY)
    assert COMMON_WORDS not in related_ids(engine, FOLLOW_UP)


def test_related_scores_are_shares_of_the_article_own_score(engine):
    view = engine.article(STORY)
    scores = [hit.score for hit in view.related]
    minimum = RelatedConfig().min_similarity
    assert scores == sorted(scores, reverse=True)
    assert all(minimum <= score <= 1 for score in scores)


def related_with_a_variant_of_the_follow_up(tmp_path, name: str, variant) -> tuple[list[str], dict[str, float]]:
    """The story's related articles (ids in order, scores) once the follow-up has a ``variant`` named ``name``."""
    folder = tmp_path / "articles"
    write_story(folder)
    follow_up = (folder / f"{FOLLOW_UP}.txt").read_text(encoding="utf-8")
    changed = variant(follow_up)
    assert changed != follow_up
    (folder / f"{name}.txt").write_text(changed, encoding="utf-8")
    build_index(tmp_path / "index", [str(SAMPLE_DIR), str(folder)], procs=1)
    with Engine(tmp_path / "index") as engine:
        view = engine.article(STORY)
    return [hit.id for hit in view.related], {hit.id: hit.score for hit in view.related}


def test_a_follow_up_days_later_ranks_above_the_same_text_years_before(tmp_path):
    """News: of two articles as close in words, the one close in time comes first."""
    order, scores = related_with_a_variant_of_the_follow_up(
        tmp_path, "old", lambda text: text.replace("2025-11-07", "2016-11-07").replace("07/11/2025", "07/11/2016")
    )
    assert order[0] == FOLLOW_UP
    assert scores[FOLLOW_UP] > scores["old"]


def test_a_follow_up_in_the_article_rubric_ranks_above_the_same_text_in_another(tmp_path):
    """The rubric is the editors' word on what an article is about: it breaks near ties."""
    order, scores = related_with_a_variant_of_the_follow_up(
        tmp_path, "economie", lambda text: text.replace("date 2025-11-07 Société", "date 2025-11-07 Économie")
    )
    assert order[0] == FOLLOW_UP
    assert scores[FOLLOW_UP] > scores.get("economie", 0.0)


def test_lire_aussi_links_come_before_similar_articles(tmp_path):
    """The editors' own links lead, even to an article the words alone would not pick."""
    folder = tmp_path / "articles"
    write_story(folder)
    story = folder / f"{STORY}.txt"
    link = "Lire aussi : Meknès remplace ses lampadaires par des LED"
    story.write_text(story.read_text(encoding="utf-8").replace("\n\n#", f"\n{link}\n\n#"), encoding="utf-8")
    build_index(tmp_path / "index", [str(SAMPLE_DIR), str(folder)], procs=1)
    with Engine(tmp_path / "index") as engine:
        view = engine.article(STORY)
    assert view.article.related == ["Meknès remplace ses lampadaires par des LED"]
    assert [hit.id for hit in view.related][:2] == [COMMON_WORDS, FOLLOW_UP]
    assert view.related[0].score is None  # a link, not a similarity


def test_related_shows_nothing_below_the_minimum_similarity(tmp_path):
    folder = tmp_path / "articles"
    write_story(folder)
    build_index(tmp_path / "index", [str(SAMPLE_DIR), str(folder)], procs=1)
    everything = RelatedConfig(min_similarity=0.0, share_of_best=0.0, limit=10)
    with Engine(tmp_path / "index", related=everything) as engine:
        scores = [hit.score for hit in engine.article(STORY).related]
    assert len(scores) == 10
    # A minimum between the follow-up and the rest keeps the follow-up alone.
    minimum = (scores[0] + scores[1]) / 2
    with Engine(tmp_path / "index", related=RelatedConfig(min_similarity=minimum, share_of_best=0.0)) as engine:
        assert [hit.id for hit in engine.article(STORY).related] == [FOLLOW_UP]


def test_time_factor_close_beats_undated_beats_far():
    config = RelatedConfig()
    day = 700_000
    same_day, days_later, undated, years_before = time_factors(
        day, np.array([day, day + 4, -1, day - 3650], np.int64), config
    )
    assert same_day == 1.0
    assert same_day > days_later > undated > years_before
    # An undated article has nothing to be near or far from: its candidates keep their scores.
    assert list(time_factors(-1, np.array([day, -1], np.int64), config)) == [1.0, 1.0]


def test_title_and_names_weigh_more_than_body_words():
    weights = term_weights(
        french_analyzer(),
        {"title": "Sécheresse à Ouarzazate", "body": "La sécheresse dure. Les paysans de Ouarzazate attendent."},
        RelatedConfig(),
    )
    name, word = index_terms("ouarzazate")[0], index_terms("sécheresse")[0]
    # Both words are in the title and the body, but only the name is capitalized inside a sentence.
    assert weights[name] > weights[word] > 0
    alone = term_weights(french_analyzer(), {"body": "Sécheresse à Ouarzazate"}, RelatedConfig())
    assert weights[word] > alone[word]


class MarkedTwinFilter(Filter):
    """Adds a marked twin term at the same position, as a folded-unstemmed field would."""

    def __call__(self, tokens):
        for t in tokens:
            text = t.text
            yield t
            t.text = "=" + text
            yield t


def test_key_terms_ignore_marked_twin_terms():
    analyzer = french_analyzer() | MarkedTwinFilter()
    texts = {"title": "Les barrages du Souss", "body": "Le Souss manque d’eau."}
    weights = term_weights(analyzer, texts, RelatedConfig())
    terms = key_terms(weights, lambda term: 2, 100, RelatedConfig())
    assert {t.text for t in terms} == {"barrag", "souss", "manqu", "eau"}
    assert terms[0].text == "souss"
