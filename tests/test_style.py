"""The German house style on edge cases, rendered exactly as mkdocs-bibtex renders it."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from pybtex.database import parse_string

from commentary.style import ROOT, HouseStyle, HtmlBackend, as_sentence, format_source, resolve_root, substitute_sources


def render(bibtex: str, **style_options) -> str:
    entries = parse_string(bibtex, "bibtex").entries
    assert len(entries) == 1
    return format_source(HouseStyle(**style_options), next(iter(entries.values())))


def as_html(formatted: str):
    """What readers get: the formatted source inside a note (as substitute_sources puts it there)."""
    page = substitute_sources('<li id="fn:1"><p>Siehe \ue000k\ue001.</p></li>', lambda key: formatted, "../../")
    return BeautifulSoup(page, "html.parser").find("li", id="fn:1")


def test_the_model_citation_reads_as_the_articles_cite():
    text = render("""@online{small2025putin,
      author = {Small, Gretchen},
      title = {Putin Briefs Six Heads of State on Discussions with U.S. Envoy},
      journaltitle = {Executive Intelligence Review},
      date = {2025-08-08}, urldate = {2025-08-20},
      url = {https://eir.news/2025/08/putin-briefs-six-heads-of-state-on-discussions-with-us-envoy/},
      langid = {english}}""")
    html = as_html(text)
    assert html.get_text().strip() == (
        "Siehe Gretchen Small: „Putin Briefs Six Heads of State on Discussions with U.S. Envoy“, "
        "Executive Intelligence Review, 8. August 2025, online unter "
        "eir.news/…/putin-briefs-six-heads-of-state-on-discussions-with-us-envoy (abgerufen am 20. August 2025)."
    )
    link = html.find("a", href="https://eir.news/2025/08/putin-briefs-six-heads-of-state-on-discussions-with-us-envoy/")
    assert link is not None and link.get_text() == "eir.news/…/putin-briefs-six-heads-of-state-on-discussions-with-us-envoy"
    assert html.find("span", lang="en").get_text() == "Putin Briefs Six Heads of State on Discussions with U.S. Envoy"


def test_no_author_starts_with_the_title():
    text = render("@online{a, title = {Netzentgelte steigen}, journaltitle = {Tagesblick}, date = {2024-03}}")
    assert text == "„Netzentgelte steigen“, Tagesblick, März 2024"


def test_organisation_only_is_named_as_author_and_not_repeated_as_medium():
    text = render("@report{a, organization = {Bundesamt für Netze}, title = {Monitoringbericht 2024}, "
                  "series = {Berichte}, number = {5}, date = {2024-11-30}}")
    assert text == "Bundesamt für Netze: „Monitoringbericht 2024“, Berichte Nr. 5, 30. November 2024"


def test_three_authors_are_joined_the_german_way():
    text = render("@article{a, author = {Müller, Anna and Schmidt, Bernd and Özdemir, Cem}, "
                  "title = {Warum die Netze teurer werden}, journaltitle = {Die Wochenzeitung}, date = {2023}, pages = {12--14}}")
    assert text == ("Anna Müller, Bernd Schmidt und Cem Özdemir: „Warum die Netze teurer werden“, "
                    "in: Die Wochenzeitung, 2023, S. 12–14")
    assert " and " not in text


def test_cyrillic_title_keeps_its_script_language_and_translation():
    text = render("@online{a, author = {Иванов, Иван}, title = {Новая энергетическая стратегия}, "
                  "titleaddon = {Neue Energiestrategie}, langid = {russian}, organization = {Вести}, date = {2024-02-01}}")
    html = as_html(text)
    assert html.find("span", lang="ru").get_text() == "Новая энергетическая стратегия"
    assert "„Новая энергетическая стратегия“ [Neue Energiestrategie], Вести, 1. Februar 2024" in html.get_text()


def test_no_date_and_no_url_leave_no_empty_separators():
    text = render("@book{a, author = {Weber, Max}, title = {Politik als Beruf}, publisher = {Duncker & Humblot}, address = {München}}")
    assert text == "Max Weber: „Politik als Beruf“, München: Duncker &amp; Humblot"
    assert as_html(text).get_text() == "Siehe Max Weber: „Politik als Beruf“, München: Duncker & Humblot."
    assert ", ," not in text and "()" not in text


def test_only_a_note():
    text = render("@misc{a, note = {Gespräch des Autors mit einer Mitarbeiterin der Stadtverwaltung, März 2024}}")
    assert text == "Gespräch des Autors mit einer Mitarbeiterin der Stadtverwaltung, März 2024"
    assert as_sentence(text).endswith("März 2024.")


def test_note_follows_the_citation_as_its_own_sentence():
    text = render("@online{a, title = {Bericht}, organization = {Amt}, url = {https://amt.example/b}, note = {Archivierte Fassung}}")
    assert text.endswith("online unter <a href=\"https://amt.example/b\">amt.example/b</a>. Archivierte Fassung")


def test_title_case_is_never_changed():
    text = render("@online{a, title = {Die EU und der IWF: Wie {Sanktionen} Wirken}, organization = {Forum}}")
    assert "„Die EU und der IWF: Wie Sanktionen Wirken“" in text


@pytest.mark.parametrize("month,name", [(1, "Januar"), (3, "März"), (5, "Mai"), (12, "Dezember")])
def test_dates_are_written_in_german(month, name):
    text = render(f"@online{{a, title = {{T}}, organization = {{O}}, date = {{2024-{month:02d}-09}}, "
                  f"url = {{https://o.example/t}}, urldate = {{2024-{month:02d}-10}}}}")
    assert f"9. {name} 2024" in text and f"(abgerufen am 10. {name} 2024)" in text


def test_hostile_title_and_url_stay_text():
    text = render("""@online{a, title = {<script>alert(1)</script> [klick](https://evil.example) *fett* @other},
                  organization = {O}, url = {javascript:alert(1)}}""")
    html = as_html(text)
    assert html.find("script") is None
    assert not [a for a in html.find_all("a") if "evil" in a.get("href", "") or a["href"].startswith("javascript")]
    assert "<script>alert(1)</script> [klick](https://evil.example) *fett* @other" in html.get_text()
    assert "javascript:alert(1)" in html.get_text()  # shown, not linked


def test_html_in_any_field_is_escaped():
    text = render("""@online{a, author = {<b>Böse</b>, Eve}, title = {T}, organization = {<i>Org</i>},
                  note = {<img src=x onerror=alert(1)>}, url = {https://o.example/?q=<x>&r="y"}}""")
    html = as_html(text)
    assert html.find("b") is None and html.find("i") is None and html.find("img") is None
    assert html.find("a")["href"] == 'https://o.example/?q=<x>&r="y"'


def test_an_archive_article_links_inside_but_shows_where_it_appeared():
    text = render("@online{a, author = {Keller, Martina}, title = {Strom}, url = {https://www.weltblick.example/2024/03/strom/}}",
                  internal_links={"weltblick.example/2024/03/strom": "/artikel/strom/"})
    assert f'<a href="{ROOT}artikel/strom/" title="Im Archiv lesen">weltblick.example/2024/03/strom</a>' in text
    link = as_html(text).find("a")  # shown on a page two levels below the root
    assert link["href"] == "../../artikel/strom/" and link.get_text() == "weltblick.example/2024/03/strom"
    assert resolve_root(text, "") .count('href="artikel/strom/"') == 1


def test_each_entry_is_formatted_once_per_style_instance():
    entries = parse_string("@online{a, title = {T}, organization = {O}}\n@online{b, title = {U}, organization = {O}}", "bibtex").entries
    style = HouseStyle()
    backend = HtmlBackend()
    for _ in range(50):
        for entry in entries.values():
            style.format_entry("", entry).text.render(backend)
    assert style.formatted == 2


def test_long_urls_keep_host_and_last_segment_but_link_in_full():
    url = "https://www.tagesblick.example/wirtschaft/2024/03/12/netzentgelte-steigen-weiter/"
    html = as_html(render(f"@online{{a, title = {{T}}, organization = {{O}}, url = {{{url}}}}}"))
    assert html.find("a", href=url).get_text() == "tagesblick.example/…/netzentgelte-steigen-weiter"


def test_a_url_without_a_useful_last_segment_is_cut_at_a_path_boundary():
    url = "https://www.tagesblick.example/wirtschaft/2024/03/12/netzentgelte-steigen-weiter-was-verbraucher-jetzt-wissen-muessen-und-was-nicht"
    html = as_html(render(f"@online{{a, title = {{T}}, organization = {{O}}, url = {{{url}}}}}"))
    assert html.find("a", href=url).get_text() == "tagesblick.example/wirtschaft/2024/03/12/…"


def test_short_urls_are_shown_whole():
    html = as_html(render("@online{a, title = {T}, organization = {O}, url = {https://amt.example/bericht-2024.pdf}}"))
    assert html.find("a").get_text() == "amt.example/bericht-2024.pdf"


def test_tokens_become_sources_inline_or_as_sentences():
    formatted = {"a": "A: „Eins“", "b": "B: „Zwei?“"}
    page = substitute_sources("<p>Siehe \ue000a\ue001 und \ue000b\ue001.</p><li>\ue003a\ue001</li><li>\ue003b\ue001</li>",
                              formatted.__getitem__, "")
    assert page == "<p>Siehe A: „Eins“ und B: „Zwei?“.</p><li>A: „Eins“.</li><li>B: „Zwei?“.</li>"
