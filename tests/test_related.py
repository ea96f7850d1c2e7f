"""The related-articles scorer on small hand-made archives."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from commentary.related import (
    GermanAnalyzer,
    RelatedConfig,
    RelatedInput,
    analyze,
    rarity,
    related,
    tokenize,
)

ROOT = Path(__file__).resolve().parents[1]
DAY = date(2024, 3, 12)


def art(id: str, text: str = "", tags=(), series=None, sources=(), cites=(), day=DAY) -> RelatedInput:
    return RelatedInput(id=id, text=text, tags=tuple(tags), series=series, sources=frozenset(sources),
                        cites=frozenset(cites), date=day)


def targets(result, id):
    return [r.target for r in result[id]]


def only(result, id, target):
    (match,) = [r for r in result[id] if r.target == target]
    return match


# -- German text analysis ----------------------------------------------------------------------


def test_inflected_forms_share_a_stem():
    assert analyze("Sanktionen") == analyze("Sanktion") == {"sanktion": 1}
    assert analyze("Verhandlungen") == analyze("Verhandlung")
    assert analyze("die EU-Sanktionen, die Sanktion.") == {"sanktion": 2}


def test_stop_words_and_short_words_are_no_terms():
    assert analyze("und oder aber der die das nicht auch über für") == {}
    assert analyze("EU und UN") == {}  # shorter than min_term_length
    assert analyze("EU und UN", min_term_length=2) == {"eu": 1, "un": 1}


def test_tokenize_keeps_umlauts_and_eszett():
    assert tokenize("Größere Straßen-Übergänge, 2024 gebaut!") == ["größere", "straßen", "übergänge", "gebaut"]


def test_max_words_analyses_only_the_beginning():
    analyzer = GermanAnalyzer()
    text = "Sanktionen Verhandlungen " + "Strompreis " * 50
    assert analyzer.counts(text, max_words=2) == {"sanktion": 1, "verhandl": 1}
    assert analyzer.counts(text)["strompreis"] == 50


def test_inflected_forms_relate_articles_and_name_the_theme():
    result = related([
        art("a", "Die Sanktionen gegen das Regime und die Verhandlungen in Genf."),
        art("b", "Eine Sanktion allein hilft nicht, die Verhandlung muss weitergehen."),
        art("c", "Der Strompreis steigt wegen hoher Netzentgelte."),
    ])
    assert targets(result, "a") == ["b"]
    assert targets(result, "c") == []
    relation = only(result, "a", "b")
    assert relation.components["text"] > 0
    # Equal weights: stems alphabetically; equally frequent forms: alphabetically.
    assert relation.reason == "ähnliche Themen: Sanktion, Verhandlung"


def test_stop_words_alone_give_no_text_similarity():
    filler = "und oder aber der die das nicht auch wenn weil dass sich noch schon sehr "
    result = related([art("a", filler + "Apfelkuchen"), art("b", filler + "Dampflokomotive")])
    assert result == {"a": [], "b": []}


def test_a_few_shared_words_are_no_theme():
    words = [f"Zet{chr(97 + i)}{chr(97 + i)}k" for i in range(40)]  # 40 distinct made-up nouns
    result = related([
        art("a", " ".join(words[0:20]), series="s"),
        art("b", " ".join(words[:1] + words[20:39]), series="s"),  # one word in common with a
        art("c", " ".join(words[1:20] + words[20:39])),  # most words in common with a
    ])
    assert 0 < only(result, "a", "b").components["text"] < 0.1 * RelatedConfig().text
    assert only(result, "a", "b").reason == "gleiche Serie"
    assert only(result, "a", "c").reason.startswith("ähnliche Themen: ")


def test_surface_word_is_written_as_in_the_texts():
    result = related([
        art("a", "Die Netzentgelte steigen, die Netzentgelte sind hoch."),
        art("b", "Netzentgelte und Netzentgelte, das Netzentgelt."),
        art("c", "Etwas ganz anderes."),
    ])
    assert only(result, "a", "b").reason == "ähnliche Themen: Netzentgelte"


# -- ranking -------------------------------------------------------------------------------------


def test_rare_shared_source_outranks_common_shared_source():
    common = [art(f"common{i}", sources={"bna2024"}) for i in range(4)]
    result = related([
        art("a", sources={"rare2023", "bna2024"}),
        art("b", sources={"rare2023"}),
        *common,
    ], RelatedConfig(max_df_ratio=1.0, limit=10))
    ranked = result["a"]
    assert [r.target for r in ranked] == ["b", "common0", "common1", "common2", "common3"]
    assert ranked[0].score > ranked[1].score
    assert ranked[0].reason == ranked[1].reason == "1 gemeinsame Quelle"


def test_more_shared_sources_count_more_and_say_so():
    result = related([
        art("a", sources={"k1", "k2", "k3", "k4"}),
        art("b", sources={"k1", "k2", "k3"}),
        art("c", sources={"k4"}),
        art("d", sources={"x"}),
    ])
    assert targets(result, "a") == ["b", "c"]
    assert only(result, "a", "b").reason == "3 gemeinsame Quellen"
    assert only(result, "a", "c").reason == "1 gemeinsame Quelle"


def test_ties_are_broken_by_id_whatever_the_input_order():
    articles = [art("z", sources={"s"}), art("m", sources={"s"}), art("k", sources={"s"}),
                art("x", sources={"t"}), art("y", sources={"t"}), art("w")]
    for order in (articles, articles[::-1]):
        result = related(order)
        assert targets(result, "z") == ["k", "m"]
        assert only(result, "z", "k").score == only(result, "z", "m").score


def test_ties_between_different_reasons_are_broken_by_id():
    # Weights chosen so that one shared source is worth exactly as much as the series.
    weight = 0.1 / (1 - 0.5 ** rarity(2, 3))
    config = RelatedConfig(series=0.1, shared_sources=weight, recency=0)
    result = related([art("a", series="s", sources={"q"}), art("b", series="s"), art("c", sources={"q"})], config)
    assert [(r.target, r.score, r.reason) for r in result["a"]] == [
        ("b", 0.1, "gleiche Serie"), ("c", 0.1, "1 gemeinsame Quelle")]


def test_same_series_is_a_reason():
    result = related([
        art("teil-1", series="energiewende"),
        art("teil-2", series="energiewende"),
        art("anderes", series="osteuropa"),
    ])
    assert targets(result, "teil-1") == ["teil-2"]
    assert only(result, "teil-1", "teil-2").reason == "gleiche Serie"
    assert result["anderes"] == []


def test_recency_breaks_ties_but_never_relates_alone():
    result = related([
        art("a", series="s", day=date(2024, 1, 1)),
        art("b", series="s", day=date(2020, 1, 1)),
        art("c", series="s", day=date(2023, 12, 1)),
        art("d", day=date(2024, 1, 1)),  # same day as a, nothing else in common
    ])
    assert targets(result, "a") == ["c", "b"]
    assert only(result, "a", "c").components["recency"] > only(result, "a", "b").components["recency"]
    assert result["d"] == []


def test_citation_either_way_is_strong_and_named_by_direction():
    result = related([
        art("a", cites={"b"}),
        art("b"),
        art("c", cites={"d"}),
        art("d", cites={"c"}),
    ])
    assert only(result, "a", "b").reason == "wird hier zitiert"
    assert only(result, "b", "a").reason == "zitiert diesen Artikel"
    assert only(result, "c", "d").reason == "zitieren sich gegenseitig"


def test_citation_outranks_a_shared_series_source_or_tag():
    result = related([
        art("a", tags=["Belarus", "OSZE"], series="s", sources={"k1", "k2"}, cites={"z"}),
        art("b", series="s"),
        art("c", sources={"k1"}),
        art("d", tags=["Belarus"]),
        art("e", tags=["Wahlen"], sources={"k2"}),  # keeps k2 and the tags from being unique to a
        art("z"),
    ])
    ranked = result["a"]
    assert ranked[0].target == "z" and ranked[0].score > ranked[1].score + 0.1
    assert {r.target: r.reason for r in ranked} == {
        "z": "wird hier zitiert", "b": "gleiche Serie", "c": "1 gemeinsame Quelle", "e": "1 gemeinsame Quelle",
        "d": "Schlagwörter: Belarus"}


def test_self_citation_is_ignored():
    result = related([art("a", cites={"a"}), art("b")])
    assert result == {"a": [], "b": []}


def test_citing_an_article_outside_the_archive_is_fine():
    result = related([art("a", cites={"artikel/gibt-es-nicht.md", "b"}), art("b")])
    assert targets(result, "a") == ["b"]
    assert "artikel/gibt-es-nicht.md" not in result


def test_articles_without_tags_sources_or_text():
    result = related([art("a"), art("b"), art("c", "Kurz.")])
    assert result == {"a": [], "b": [], "c": []}


def test_tags_rarest_first_at_most_three():
    articles = [
        art("a", tags=["Europa", "Belarus", "OSZE", "Wahlen"]),
        art("b", tags=["Europa", "Belarus", "OSZE", "Wahlen"]),
        art("c", tags=["Europa", "Wahlen"]),
        art("d", tags=["Europa"]),
    ]
    result = related(articles, RelatedConfig(max_df_ratio=1.0))
    assert targets(result, "a") == ["b", "c", "d"]
    assert only(result, "a", "b").reason == "Schlagwörter: Belarus, OSZE, Wahlen"
    assert only(result, "a", "c").reason == "Schlagwörter: Wahlen, Europa"


def test_tags_used_by_too_many_articles_are_ignored():
    articles = [art(f"a{i}", tags=["Politik"]) for i in range(10)] + [art("x", tags=["Politik", "OSZE"]),
                                                                        art("y", tags=["OSZE"])]
    result = related(articles)  # max_df_ratio 0.5: "Politik" (11 of 12) is no signal
    assert targets(result, "x") == ["y"]
    assert result["a0"] == []


def test_limit_is_respected():
    articles = [art(f"teil-{i}", series="lang") for i in range(8)]
    assert all(len(v) == 5 for v in related(articles).values())
    assert all(len(v) == 3 for v in related(articles, RelatedConfig(limit=3)).values())
    assert all(v == [] for v in related(articles, RelatedConfig(limit=0)).values())


def test_min_score_hides_weak_relations():
    articles = [art("a", series="s"), art("b", series="s")]
    assert targets(related(articles), "a") == ["b"]
    assert targets(related(articles, RelatedConfig(min_score=0.5)), "a") == []


def test_components_add_up_to_the_score():
    result = related([
        art("a", "Die Sanktionen wirken.", tags=["Belarus"], series="s", sources={"k"}, cites={"b"}),
        art("b", "Sanktionen wirken nicht.", tags=["Belarus"], series="s", sources={"k"}, day=date(2023, 3, 12)),
    ])
    relation = only(result, "a", "b")
    assert set(relation.components) == {"citation", "shared_sources", "series", "tags", "text", "recency"}
    assert relation.score == pytest.approx(sum(relation.components.values()), abs=1e-3)
    assert relation.reason == ("wird hier zitiert · 1 gemeinsame Quelle · gleiche Serie · "
                               "Schlagwörter: Belarus · ähnliche Themen: Sanktionen, wirken")


def test_duplicate_ids_are_an_error():
    with pytest.raises(ValueError, match="duplicate article id"):
        related([art("a"), art("a")])


# -- determinism -------------------------------------------------------------------------------


def _archive() -> list[RelatedInput]:
    words = ["Sanktionen", "Verhandlungen", "Strompreis", "Netzentgelte", "Wahlen", "Grenze", "Energie", "Gas"]
    rng = random.Random(7)
    articles = []
    for i in range(40):
        text = " ".join(rng.choice(words) for _ in range(30))
        articles.append(art(
            f"artikel/{i:02d}.md", text,
            tags=rng.sample(["Belarus", "OSZE", "Energie", "Russland", "EU"], 2),
            series=f"serie-{i % 4}" if i % 3 == 0 else None,
            sources={f"k{rng.randrange(30)}" for _ in range(4)},
            cites={f"artikel/{rng.randrange(40):02d}.md"} if i % 5 == 0 else (),
            day=date(2020, 1, 1).replace(year=2020 + i % 5),
        ))
    return articles


def test_same_result_for_any_input_order():
    articles = _archive()
    expected = related(articles)
    for seed in range(3):
        shuffled = articles[:]
        random.Random(seed).shuffle(shuffled)
        assert related(shuffled) == expected
    assert sum(map(len, expected.values())) > 100  # the archive is actually linked


def test_same_result_in_every_process():
    code = ("import sys; sys.path.insert(0, 'tests'); from test_related import _archive; "
            "from commentary.related import related; "
            "print(sorted((k, [(r.target, r.score, r.reason) for r in v]) for k, v in related(_archive()).items()))")
    outputs = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT / "src"))
        run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                             check=True)
        outputs.add(run.stdout)
    assert len(outputs) == 1


# -- settings ------------------------------------------------------------------------------------


def test_config_from_mapping():
    config = RelatedConfig.from_mapping({"limit": 3, "text": 0.5, "max_words": None, "recency_half_life_days": 90})
    assert (config.limit, config.text, config.max_words, config.recency_half_life_days) == (3, 0.5, None, 90.0)
    assert RelatedConfig.from_mapping(None) == RelatedConfig()


@pytest.mark.parametrize("mapping, message", [
    ({"limt": 3}, "unknown setting.*limt"),
    ({"text": "hoch"}, "text must be a number"),
    ({"limit": 2.5}, "limit must be a whole number"),
    ({"limit": True}, "limit must be a number"),
    ({"citation": -1}, "citation must not be negative"),
    ({"max_df_ratio": 0}, "max_df_ratio"),
])
def test_config_from_mapping_rejects(mapping, message):
    with pytest.raises(ValueError, match=message):
        RelatedConfig.from_mapping(mapping)


def test_related_for_some_articles_equals_their_part_of_the_whole():
    from commentary.related import RelatedIndex

    inputs = [
        RelatedInput(id=f"a{i}", text=f"Sanktionen Verhandlungen Energie Netz {'Wärme ' * i}", tags=("x", f"t{i % 3}"),
                     series="s" if i % 2 else None, sources=frozenset({f"k{i % 4}", "k9"}), date=date(2024, 1, 1 + i))
        for i in range(12)
    ]
    whole = RelatedIndex(inputs).related()
    some = RelatedIndex(inputs).related(only=["a3", "a7", "missing"])
    assert set(some) == {"a3", "a7"}
    assert some["a3"] == whole["a3"] and some["a7"] == whole["a7"]


def test_analysis_is_remembered_per_text():
    from commentary.related import GermanAnalyzer

    analyzer = GermanAnalyzer()
    first = analyzer.counts("Die Sanktionen wirken langsam", 500)
    assert analyzer.counts("Die Sanktionen wirken langsam", 500) is first
    assert analyzer.counts("Die Sanktion wirkt", 500) is not first


def test_an_edited_text_moves_the_article_to_its_new_topic_without_rebuilding():
    from commentary.related import RelatedIndex

    topics = {
        "energie": "Netzentgelte Strompreise Umlage Netzbetreiber Stromnetz Leitungen Netzausbau Verbraucher",
        "diplomatie": "Sanktionen Verhandlungen Botschafter Gipfel Diplomatie Waffenstillstand Vermittler Dialog",
        "verkehr": "Busse Fahrplan Haltestelle Nahverkehr Takt Linie Umsteigen Fahrgäste",
    }
    inputs = [RelatedInput(id=f"{topic}{i}", text=" ".join([words] * (3 + i)), date=date(2024, 1, 1))
              for topic, words in topics.items() for i in range(2)]
    inputs.append(RelatedInput(id="x", text=topics["energie"], date=date(2024, 1, 1)))
    index = RelatedIndex(inputs)
    assert {r.target for r in index.related(only=["x"])["x"]} == {"energie0", "energie1"}
    index.replace_text("x", topics["verkehr"] + " Busse")
    moved = index.related(only=["x"])["x"]
    assert {r.target for r in moved} == {"verkehr0", "verkehr1"}
    assert all("ähnliche Themen" in r.reason for r in moved)
