"""`commentary import`: real files in a temporary project, through the real CLI."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from commentary.article import split_front_matter
from commentary.bib import check_sources, load_bibliography, read_bib_text
from commentary.cli import main
from commentary.notes import parse_notes
from commentary.sources import source_from_entry

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "import"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A minimal project: the real mkdocs.yml, three authors, two series, one earlier article and its .bib."""
    target = tmp_path / "projekt"
    shutil.copytree(FIXTURES / "project", target)
    shutil.copy2(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    monkeypatch.chdir(target)
    return target


def run(*args: str, capsys=None) -> tuple[int, str, str]:
    code = main(["import", *map(str, args)])
    out, err = capsys.readouterr() if capsys else ("", "")
    return code, out, err


def page(project: Path, slug: str):
    text = (project / "docs" / "artikel" / f"{slug}.md").read_text(encoding="utf-8")
    front, body = split_front_matter(text)
    notes = parse_notes(body)
    return front.values, body, {n.label: n for n in notes.notes}, notes


def entries(project: Path, slug: str) -> dict:
    parsed = read_bib_text((project / "bib" / f"{slug}.bib").read_text(encoding="utf-8"), f"bib/{slug}.bib")
    assert not parsed.problems
    return {k: source_from_entry(e) for k, e in parsed.entries.items()}


def archive_problems(project: Path) -> list:
    bibliography = load_bibliography(project / "bib", project)
    return [p for p in bibliography.problems]


# ---------------------------------------------------------------- the input forms


def test_german_article_with_parenthesised_markers(project, capsys):
    code, out, err = run(FIXTURES / "de_klammern.txt", capsys=capsys)
    assert code == 0, err
    front, body, notes, parse = page(project, "wie-der-gaspreis-die-wahl-entschied")
    assert list(front) == ["title", "date", "authors", "categories", "tags", "description"]
    assert front["title"] == "Wie der Gaspreis die Wahl entschied"
    assert str(front["date"]) == "2024-03-14"  # the date line
    assert front["authors"] == ["mkeller"]  # 'Martina Keller' before the notes, a known author
    assert [n.label for n in parse.notes] == [str(i) for i in range(1, 8)]
    assert [label for label, _ in parse.references] == [str(i) for i in range(1, 8)]
    assert not parse.problems
    # not markers: a year, an article of law, a vote count
    assert "im Jahr (2019) anders" in body and "(Art. 8)" in body and "Warren (3) und Sanders (1) vorn" in body
    assert "## Was heißt das für Haushalte?" in body and "## Ein Ausblick" in body
    assert "Bild: Pixabay / Gerd Altmann" in body
    assert notes["1"].text == "Siehe @tagesschau2024gaspreise"
    assert notes["3"].text == "@muster2024rechnung. Vgl. auch @spiegel2024heizkosten und @nzz2024gas."
    assert notes["5"].text.startswith("Die Zahlen sind umstritten. @")
    assert notes["6"].text == "ebd. online unter <https://www.tagesschau.de/inland/herbst-verhandlungen-102.html>"
    assert notes["7"].text == "Das ist reine Meinung der Autorin und braucht keinen Beleg."
    bib = entries(project, "wie-der-gaspreis-die-wahl-entschied")
    tagesschau = bib["tagesschau2024gaspreise"]
    assert (tagesschau.title, tagesschau.organization, tagesschau.date) == ("Gaspreise bewegen die Wähler", "Tagesschau", "2024-03-08")
    assert tagesschau.url == "https://www.tagesschau.de/inland/gaspreise-waehler-100.html"  # utm_* removed
    assert "utm_source, utm_medium removed" in out
    zeit = bib["muster2024rechnung"]
    assert (zeit.type, zeit.authors, zeit.journaltitle, zeit.date) == ("article", ("Max Muster",), "Die Zeit", "2024-02-21")
    report = bib["bundesamt2024energiestatistik"]
    assert (report.type, report.organization, report.title, report.series, report.number, report.date, report.urldate) == (
        "report", "Bundesamt für Energie", "Energiestatistik 2023", "Statistischer Bericht", "5", "2024", "2024-03-13")
    assert bib["verbraucherzentraleheizkosten"].urldate == "2024-03-10"
    assert not [p for p in archive_problems(project) if p.level == "error"]


def test_superscripts_cyrillic_x_archive_book_report(project, capsys):
    code, out, err = run(FIXTURES / "de_hochgestellt.txt", capsys=capsys)
    assert code == 0, err
    front, body, notes, parse = page(project, "zwischen-moskau-und-bruessel-ein-gespraech-ueber-sanktionen")
    assert front["authors"] == ["jbrandt"]  # 'Von Jonas Brandt'
    assert [label for label, _ in parse.references] == ["1", "2", "3", "4", "5", "6", "10", "7", "8", "9"]
    assert "marker '¹⁰' is out of the notes' order" in out
    bib = entries(project, "zwischen-moskau-und-bruessel-ein-gespraech-ueber-sanktionen")
    small = bib[notes["1"].keys[0]]
    assert (small.authors, small.title, small.journaltitle, small.date, small.urldate, small.langid) == (
        ("Gretchen Small",), "Sanctions Fail to Bite", "Executive Intelligence Review", "2025-08-08", "2025-08-20", "english")
    russian = bib[notes["2"].keys[0]]
    assert russian.title == "Экономическая война против России"
    assert russian.titleaddon == "Putin: „Der Wirtschaftskrieg gegen Russland“"
    assert (russian.langid, russian.date, russian.urldate) == ("russian", "2025-03-12", "2025-03-13")
    two = bib[notes["3"].keys[0]]
    assert two.authors == ("Jane Doe", "John Smith") and two.url == "https://www.foreignaffairs.com/trade-third-countries"
    post = bib[notes["5"].keys[0]]
    assert (post.type, post.authors, post.howpublished, post.date) == ("misc", ("Dmitri Peskow",), "X", "2025-04-02")
    archived = bib[notes["6"].keys[0]]
    assert archived.url == "https://ostwest-forum.example/2014/handel-blueht/"
    assert archived.note == "" and "archiv" in (project / "bib" / "zwischen-moskau-und-bruessel-ein-gespraech-ueber-sanktionen.bib").read_text()
    assert "<https://web.archive.org/web/20140601000000/https://ostwest-forum.example/2014/handel-blueht/>" in notes["6"].text
    book = bib[notes["7"].keys[0]]
    assert (book.type, book.title, book.publisher, book.address, book.date) == (
        "book", "Der lange Streit. Sanktionen und ihre Folgen", "Westend Verlag", "Frankfurt am Main", "2023")
    assert len(notes["8"].keys) == 2
    oecd = bib[notes["8"].keys[0]]
    assert (oecd.type, oecd.organization, oecd.series, oecd.number) == ("report", "OECD", "Interim Report", "2")
    assert "&#64;" not in (project / "bib" / "zwischen-moskau-und-bruessel-ein-gespraech-ueber-sanktionen.bib").read_text()
    assert not [p for p in archive_problems(project) if p.level == "error"]


def test_english_article_with_glued_markers(project, capsys):
    code, out, err = run(FIXTURES / "en_angeklebt.txt", capsys=capsys)
    assert code == 0, err
    front, body, notes, parse = page(project, "teaching-in-the-age-of-sanctions")
    assert [label for label, _ in parse.references] == ["1", "2", "3", "4", "5", "6"]
    assert "at the school.[^1]" in body and "the Red Line.[^3]" in body and "“brutal”[^5]" in body
    assert "In 2019.5 percent of the budget" in body  # a number after a year is no marker
    assert str(front["date"]) == "2025-03-03" and front["authors"] == ["jane-doe"]
    authors = yaml.safe_load((project / "docs" / ".authors.yml").read_text())["authors"]
    assert authors["jane-doe"]["name"] == "Jane Doe" and "mkeller" in authors
    assert "# Autorinnen und Autoren" in (project / "docs" / ".authors.yml").read_text()  # appended, not rewritten
    bib = entries(project, "teaching-in-the-age-of-sanctions")
    headline = bib[notes["1"].keys[0]]
    assert (headline.title, headline.journaltitle, headline.url) == (
        "Board Cuts Budget", "Local News Daily", "https://www.localnews.example/2025/03/board-cuts-budget")
    herald = bib[notes["2"].keys[0]]
    assert (herald.authors, herald.date, herald.urldate) == (("John Smith",), "2025-03-02", "2025-03-03")
    assert notes["3"].text == "<https://www.education.example/red-line-memo.pdf>"
    votes = bib[notes["4"].keys[0]]
    assert votes.url == "https://www.education.example/votes?session=12#record" and votes.urldate == "2025-03-03"
    assert notes["5"].keys == ()
    assert notes["6"].text.startswith("Ibid.; see also @")


def test_two_note_lists_each_marker_tied_to_its_own(project, capsys):
    code, out, err = run(FIXTURES / "de_zwei_listen.txt", "--date", "2024-02-20", "--author", "Martina Keller", capsys=capsys)
    assert code == 0, err
    front, body, notes, parse = page(project, "energie-als-hebel")
    assert [n.label for n in parse.notes] == ["1", "2", "b1", "b2", "b3"]
    assert "Außenpolitik.[^1]" in body and "Jahre[^b1]" in body and "geändert.[^2]" in body and "Prozent[^b3]" in body
    assert notes["1"].text == "Der Begriff „Hebel“ stammt aus der Debatte der 1970er Jahre."
    assert str(front["date"]) == "2024-02-20" and front["authors"] == ["mkeller"]


def test_unnumbered_list_bracket_markers_and_reuse_of_existing_sources(project, capsys):
    code, out, err = run(FIXTURES / "de_eckig_ungezaehlt.txt", "--series", "kommune", "--part", "2", "--tags", "Medien,Dialog",
                         capsys=capsys)
    assert code == 0, err
    front, body, notes, parse = page(project, "der-kommentarbereich-als-marktplatz")
    assert (front["series"], front["part"], front["tags"]) == ("kommune", 2, ["Medien", "Dialog"])
    assert "geschlossen[^1][^2]. Andere setzen auf Moderation[^3] und" in body
    assert "leserdialog&#64;morgenbote.example" in body
    assert "Dieser Beitrag erschien zuerst im Stadtgespräch." in body
    assert notes["1"].keys == ("fuchs2023kommentare",)  # same URL as in bib/vorhanden.bib: reused
    assert "1 reused from bib/" in out
    bib = entries(project, "der-kommentarbereich-als-marktplatz")
    assert "fuchs2023kommentare" not in bib and len(bib) == 3
    assert not [p for p in archive_problems(project) if p.level == "error"]


def test_no_break_space_markers_bullets_and_internal_citations(project, capsys):
    code, out, err = run(FIXTURES / "de_nbsp_striche.txt", capsys=capsys)
    assert code == 0, err
    front, body, notes, parse = page(project, "warum-der-bus-nicht-kommt")
    assert "fehlen.[^1] Die Stadt" in body and str(front["date"]) == "2024-05-12"
    assert "mc_cid, mc_eid removed" in out
    bib = entries(project, "warum-der-bus-nicht-kommt")
    own = bib[notes["2"].keys[0]]
    assert own.url == "https://stadtgespraech.example/2024/05/personalnot/"
    assert "keywords     = {archiv}" in (project / "bib" / "warum-der-bus-nicht-kommt.bib").read_text()
    assert bib[notes["3"].keys[0]].urldate == "2024-05-01"  # (Stand: …)


def test_markdown_with_footnotes(project, capsys):
    code, out, err = run(FIXTURES / "en_markdown.md", capsys=capsys)
    assert code == 0, err
    front, body, notes, parse = page(project, "footnotes-already-in-markdown")
    assert "*unanimously*[^1]" in body and "[the minutes](https://council.example/minutes)" in body
    assert "press&#64;council.example" in body and "utm_source removed" in out
    assert [n.label for n in parse.notes] == ["1", "note2"]
    herald = entries(project, "footnotes-already-in-markdown")[notes["1"].keys[0]]
    assert (herald.authors, herald.title, herald.journaltitle, herald.date) == (
        ("Jane Doe",), "Council Extends Programme", "The Herald", "2025-01-30")
    assert "https://council.example/faq" in notes["note2"].text


def test_saved_web_page(project, capsys):
    code, out, err = run(FIXTURES / "de_webseite.html", capsys=capsys)
    assert code == 0, err
    front, body, notes, parse = page(project, "netze-im-umbau")
    assert front["authors"] == ["mkeller"] and str(front["date"]) == "2024-04-02"
    assert "Startseite" not in body and "Impressum" not in body  # boilerplate left out
    assert "[unser früherer Kommentar](https://www.weltblick.example/2024/03/strompreis-politik/)" in body
    assert "Geld.[^1]" in body and "## Wer zahlt?" in body
    assert [n.label for n in parse.notes] == ["1", "2", "3"]
    assert "↩" not in (project / "docs/artikel/netze-im-umbau.md").read_text()
    bib = entries(project, "netze-im-umbau")
    report = bib[notes["2"].keys[0]]
    assert (report.organization, report.title, report.url) == (
        "Bundesnetzagentur", "Monitoringbericht 2024", "https://www.bna.example/monitoring-2024.pdf")


def test_reading_list_and_first_publication_line(project, capsys):
    text = GOOD + ("\nWeiterführende Literatur\n\n- Max Muster: Ein Buch. Westend Verlag, Frankfurt 2020.\n\n"
                   "Dieser Beitrag erschien zuerst auf https://stadtgespraech.example/2024/02/kurz/\n")
    code, out, err = run(write(project, "liste.txt", text), capsys=capsys)
    assert code == 0, err
    assert "kept as text after the article, not as notes" in out
    front, body, notes, parse = page(project, "ein-kurzer-artikel")
    assert len(parse.notes) == 2 and "Max Muster: Ein Buch. Westend Verlag, Frankfurt 2020." in body
    assert front["original_url"] == "https://stadtgespraech.example/2024/02/kurz/" and front["series"] == "kommune"


def test_default_author_from_the_configuration(project, capsys):
    code, out, err = run(write(project, "gut.txt", GOOD), capsys=capsys)
    assert code == 0, err
    front, *_ = page(project, "ein-kurzer-artikel")
    assert front["authors"] == ["redaktion"]  # extra.archive.default_author in mkdocs.yml
    authors = yaml.safe_load((project / "docs" / ".authors.yml").read_text())["authors"]
    assert authors["redaktion"]["name"] == "Redaktion" and "new author 'redaktion'" in out


def test_two_authors_from_the_byline(project, capsys):
    text = GOOD.replace("01.02.2024", "Von Martina Keller und Erika Neumann\n\n01.02.2024")
    code, out, err = run(write(project, "zwei.txt", text), capsys=capsys)
    assert code == 0, err
    front, *_ = page(project, "ein-kurzer-artikel")
    assert front["authors"] == ["mkeller", "erika-neumann"]
    assert yaml.safe_load((project / "docs/.authors.yml").read_text())["authors"]["erika-neumann"]["name"] == "Erika Neumann"


def test_byline_and_date_on_consecutive_lines(project, capsys):
    text = GOOD.replace("01.02.2024\n", "By Helen Carter\nMarch 4, 2024\n")
    code, out, err = run(write(project, "zeilen.txt", text), capsys=capsys)
    assert code == 0, err
    front, body, *_ = page(project, "ein-kurzer-artikel")
    assert front["authors"] == ["helen-carter"] and str(front["date"]) == "2024-03-04"
    assert "By Helen Carter\nMarch 4, 2024" in body  # the words stay in the page
    assert "check it" not in out  # the date was stated, not guessed from the notes


def test_a_short_paragraph_with_a_date_is_no_date_line(project, capsys):
    text = GOOD.replace("01.02.2024\n", "Am 4. März 2024 tagte der Rat.\nDie Sitzung dauerte lange.\n")
    code, out, err = run(write(project, "absatz.txt", text), capsys=capsys)
    assert code == 0, err
    front, *_ = page(project, "ein-kurzer-artikel")
    assert str(front["date"]) == "2024-01-01" and "check it" in out  # from the notes, with a warning


# ---------------------------------------------------------------- keys across the archive


def test_keys_are_unique_and_prefix_free_across_bib(project, capsys):
    text = ("Putin und die Staatschefs\n\n12.08.2025\n\nPutin sprach mit sechs Staatschefs.[1] Danach auch mit Modi.[2]\n\n"
            "Anmerkungen\n\n[1] Gretchen Small: „Putin Briefs Six Heads of State Again“, EIR, 09.08.2025, "
            "online unter https://eir.news/2025/08/putin-again/\n"
            "[2] Gretchen Small: „Putin Calls Modi“, EIR, 10.08.2025, online unter https://eir.news/2025/08/putin-modi/\n")
    (project / "putin.txt").write_text(text, encoding="utf-8")
    code, out, err = run(project / "putin.txt", capsys=capsys)
    assert code == 0, err
    keys = set(entries(project, "putin-und-die-staatschefs"))
    assert keys and not any(k.startswith("small2025putin") for k in keys)
    bibliography = load_bibliography(project / "bib", project)
    assert not [p for p in check_sources(bibliography.sources.values())]


# ---------------------------------------------------------------- bad input


def write(project: Path, name: str, data: bytes | str) -> Path:
    path = project / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


GOOD = ("Ein kurzer Artikel\n\n01.02.2024\n\nEin Satz mit Anmerkung.[1] Noch ein Satz.[2]\n\n"
        "Anmerkungen\n\n1. Siehe „Ein Titel“, bei Medium, 01.01.2024, online unter https://medium.example/a\n2. Ein Kommentar.\n")


def assert_nothing_written(project: Path) -> None:
    assert sorted(p.name for p in (project / "docs" / "artikel").iterdir()) == ["vorhanden.md"]
    assert sorted(p.name for p in (project / "bib").iterdir()) == ["vorhanden.bib"]
    assert not list(project.rglob("*.tmp"))


@pytest.mark.parametrize("name, data, message", [
    ("leer.txt", "\n\n  \n", "leer.txt:1: the file is empty"),
    ("ohne.txt", "Titel\n\nEin Satz ohne Anmerkungen.\n\nNoch ein Satz.\n", "ohne.txt:1: no notes section found"),
    ("ohne-liste.txt", "Titel\n\nEin Satz mit Marker.[1]\n", "ohne-liste.txt:3: marker '[1]' but the text has no notes section"),
    ("marker.txt", GOOD.replace("Noch ein Satz.[2]", "Noch ein Satz.[2] Und noch einer.[3]"),
     "marker.txt:5: marker '[3]' has no note in the list"),
    ("note.txt", GOOD.replace("Noch ein Satz.[2]", "Noch ein Satz."), "note.txt:10: note 2 has no marker in the text"),
    ("doppelt.txt", GOOD.replace("2. Ein Kommentar.", "2. Ein Kommentar.\n2. Noch einmal."), "doppelt.txt:11: note 2 appears twice"),
    ("binaer.txt", b"Titel\n\x00\x01\x02\x03 binary", "binaer.txt:2: binary file"),
    ("dokument.txt", b"%PDF-1.7\n...", "dokument.txt:1: this is a PDF"),
])
def test_bad_input_is_refused_with_file_and_line(project, capsys, name, data, message):
    code, out, err = run(write(project, name, data), capsys=capsys)
    assert code == 1
    assert message in err, err
    assert "nothing written" in err
    assert_nothing_written(project)


def test_duplicate_marker_links_twice_with_a_warning(project, capsys):
    path = write(project, "zweimal.txt", GOOD.replace("Noch ein Satz.[2]", "Noch ein Satz.[2] Wieder.[2]"))
    code, out, err = run(path, capsys=capsys)
    assert code == 0, err
    assert "zweimal.txt:5: note 2 is marked again here" in out
    _, body, _, parse = page(project, "ein-kurzer-artikel")
    assert [label for label, _ in parse.references] == ["1", "2", "2"]


def test_not_utf8_is_named_and_can_be_read_as_asked(project, capsys):
    path = write(project, "alt.txt", GOOD.replace("Satz", "Straße").encode("cp1252").replace(b"Medium", b"M\x80dium"))
    code, out, err = run(path, capsys=capsys)
    assert code == 1
    assert re.search(r"alt\.txt:5: not UTF-8 \(byte 0xDF at column \d+\); it looks like Windows-1252 \(cp1252\)", err), err
    assert "--encoding cp1252" in err
    assert_nothing_written(project)
    code, out, err = run(path, "--encoding", "cp1252", capsys=capsys)
    assert code == 0, err
    assert "Ein Straße mit Anmerkung." in (project / "docs/artikel/ein-kurzer-artikel.md").read_text(encoding="utf-8")


def test_bom_and_crlf_are_handled_and_reported(project, capsys):
    path = write(project, "windows.txt", b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode("utf-8"))
    code, out, err = run(path, capsys=capsys)
    assert code == 0, err
    assert "byte order mark (BOM) removed" in out and "Windows line ends (CRLF) converted" in out
    text = (project / "docs/artikel/ein-kurzer-artikel.md").read_bytes()
    assert b"\r" not in text and not text.startswith(b"\xef\xbb\xbf")


def test_a_50_mb_file_is_refused(project, capsys):
    path = project / "riesig.txt"
    with open(path, "wb") as stream:
        stream.truncate(50 * 1024 * 1024)
    code, out, err = run(path, capsys=capsys)
    assert code == 1 and "riesig.txt: the file is 50.0 MB" in err
    assert_nothing_written(project)


def test_existing_article_needs_force(project, capsys):
    path = write(project, "gut.txt", GOOD)
    assert run(path, capsys=capsys)[0] == 0
    code, out, err = run(path, capsys=capsys)
    assert code == 1 and "docs/artikel/ein-kurzer-artikel.md already exists: use --force to replace it" in err
    changed = write(project, "gut.txt", GOOD.replace("Noch ein Satz.", "Ein anderer Satz."))
    code, out, err = run(changed, "--force", capsys=capsys)
    assert code == 0, err
    assert "Ein anderer Satz." in (project / "docs/artikel/ein-kurzer-artikel.md").read_text()
    # the replaced article's own entry does not count as 'already in bib/'
    assert "1 new" in out and not [p for p in archive_problems(project) if p.level == "error"]


def test_dry_run_writes_nothing(project, capsys):
    code, out, err = run(write(project, "gut.txt", GOOD), "--dry-run", capsys=capsys)
    assert code == 0, err
    assert "would write: docs/artikel/ein-kurzer-artikel.md, bib/ein-kurzer-artikel.bib" in out
    assert_nothing_written(project)


@pytest.mark.parametrize("args, message", [
    (["--date", "2024-13-01"], "--date must be YYYY-MM-DD"),
    (["--series", "unbekannt"], "unknown series 'unbekannt'"),
    (["--part", "2"], "--part needs --series"),
    (["--original-url", "ftp://x"], "--original-url must be an http(s) URL"),
])
def test_usage_errors_exit_2(project, capsys, args, message):
    code, out, err = run(write(project, "gut.txt", GOOD), *args, capsys=capsys)
    assert code == 2 and message in err
    assert_nothing_written(project)


def test_missing_file_and_missing_argument_are_usage_errors(project, capsys):
    assert run(project / "gibtsnicht.txt", capsys=capsys)[0] == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["import"])
    assert exit_info.value.code == 2


# ---------------------------------------------------------------- never a partial file


def test_a_failing_move_leaves_no_partial_files(project, capsys, monkeypatch):
    real_replace = os.replace
    calls = []

    def flaky(src, dst):
        calls.append(dst)
        if str(dst).endswith(".bib"):
            raise OSError("disk full")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    code, out, err = run(write(project, "gut.txt", GOOD), capsys=capsys)
    assert code == 1 and "could not write: disk full" in err
    assert_nothing_written(project)


def test_fidelity_failure_lists_what_is_missing_and_writes_nothing(project, capsys, monkeypatch):
    import commentary.importer.assemble as assemble

    real = assemble.format_article
    monkeypatch.setattr(assemble, "format_article",
                        lambda front, body, notes: real(front, body.replace("Noch ein Satz", "Ein Satz"), notes))
    code, out, err = run(write(project, "gut.txt", GOOD), capsys=capsys)
    assert code == 1
    assert "gut.txt: lost in the output: running text: words missing from the page: Noch" in err
    assert_nothing_written(project)


def test_a_note_whose_source_would_lose_words_is_kept_as_written(project, capsys, monkeypatch):
    import commentary.importer.assemble as assemble
    from commentary.importer.citations import parse_note

    def lossy(text, line=0):
        parsed = parse_note(text, line)
        for draft in parsed.drafts:
            draft.title = draft.title.replace("Ein ", "")  # a parser bug: a word goes missing
        return parsed

    monkeypatch.setattr(assemble, "parse_note", lossy)
    code, out, err = run(write(project, "gut.txt", GOOD), capsys=capsys)
    assert code == 0, err
    assert "note 1: its sources could not be taken apart without losing words; kept as written" in out
    _, _, notes, _ = page(project, "ein-kurzer-artikel")
    assert notes["1"].text == "Siehe „Ein Titel“, bei Medium, 01.01.2024, online unter <https://medium.example/a>"
    assert not (project / "bib" / "ein-kurzer-artikel.bib").exists()


# ---------------------------------------------------------------- the installed command, and speed


def test_installed_command_runs(project):
    command = Path(sys.executable).parent / "commentary"
    result = subprocess.run([str(command), "import", str(FIXTURES / "de_klammern.txt"), "--dry-run"], cwd=project,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "would import „Wie der Gaspreis die Wahl entschied“" in result.stdout


def long_article(notes: int = 48) -> str:
    paragraphs, lines = [], []
    for n in range(1, notes + 1):
        paragraphs.append(f"Absatz {n} beschreibt eine Entwicklung im Detail, mit Zahlen und Namen, wie sie die Quelle nennt.({n}) "
                          f"Dazu kommt ein zweiter Satz ohne Beleg, der den Gedanken weiterführt.")
        if n % 6 == 0:
            paragraphs.append(f"Zwischenstand {n // 6}")
        if n % 5 == 0:
            lines.append(f"({n}) Nur ein Kommentar zu Punkt {n}.")
        else:
            lines.append(f"({n}) Siehe Anna Autorin{n}: „Titel Nummer {n}“, bei Medium {n % 7}, {1 + n % 28:02d}.0{1 + n % 9}.2024, "
                         f"online unter https://medium{n % 7}.example/2024/artikel-{n}?utm_source=x&seite={n}")
    return "Ein langer Artikel mit vielen Anmerkungen\n\n15.10.2024\n\n" + "\n\n".join(paragraphs) + "\n\nAnmerkungen\n\n" + "\n".join(lines) + "\n"


def test_a_48_note_article_imports_in_about_a_second(project, capsys):
    path = write(project, "lang.txt", long_article(48))
    started = time.perf_counter()
    code, out, err = run(path, capsys=capsys)
    elapsed = time.perf_counter() - started
    assert code == 0, err
    _, body, notes, parse = page(project, "ein-langer-artikel-mit-vielen-anmerkungen")
    assert [n.label for n in parse.notes] == [str(i) for i in range(1, 49)]
    assert len(entries(project, "ein-langer-artikel-mit-vielen-anmerkungen")) == 48 - 9
    assert body.count("## Zwischenstand") == 7  # the 8th stands right before the notes: a line, not a heading
    assert elapsed < 10, f"{elapsed:.2f} s"
