"""`commentary new` on a copy of the mini archive: the scaffold passes `commentary check` and the strict build."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from commentary.article import split_front_matter
from commentary.bib import read_bib_text
from commentary.cli import main
from conftest import BUILD_ENV, ROOT, mkdocs_build, read_html

MINI = ROOT / "tests" / "fixtures" / "mini"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """tests/fixtures/mini with the repository's mkdocs.yml, hooks/ and overrides/; the current folder."""
    target = tmp_path / "project"
    shutil.copytree(MINI, target)
    for part in ("mkdocs.yml", "hooks", "overrides"):
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target / part)
    monkeypatch.chdir(target)
    return target


def commentary(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def front_matter(path: Path) -> dict:
    front, _ = split_front_matter(path.read_text(encoding="utf-8"), path)
    return front.values


def test_scaffold_in_a_series_checks_and_builds(project, capsys):
    code, out, err = commentary(capsys, "new", "Ein neuer Kommentar", "--series", "strom")
    assert code == 0, err
    assert out.splitlines() == ["bib/ein-neuer-kommentar.bib", "docs/artikel/ein-neuer-kommentar.md"]
    page, bib = project / "docs/artikel/ein-neuer-kommentar.md", project / "bib/ein-neuer-kommentar.bib"

    values = front_matter(page)
    assert values["title"] == "Ein neuer Kommentar"
    assert values["date"] == date.today()
    assert values["authors"] == ["akeller"]  # default_author 'redaktion' is not in .authors.yml: the first author
    assert values["series"] == "strom"
    assert values["part"] == 3  # the mini series has parts 1 and 2
    assert values["description"]
    assert set(values) <= {"title", "date", "authors", "categories", "tags", "series", "part", "description"}

    parsed = read_bib_text(bib.read_text(encoding="utf-8"), "bib/ein-neuer-kommentar.bib")
    assert not parsed.problems
    [(key, entry)] = parsed.entries.items()
    assert entry.type == "online"
    assert "ersetzen" in entry.fields["title"]
    assert entry.fields["url"].startswith("https://strom.example/")  # the series' domain
    assert f"@{key}." in page.read_text(encoding="utf-8")

    code, out, err = commentary(capsys, "check")
    assert (code, out) == (0, ""), out
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    html = read_html(project / "site", "artikel/ein-neuer-kommentar/")
    note = html.find("li", id="fn:1")
    assert note is not None and "ersetzen" in note.get_text()
    assert note.find("a", href="https://strom.example/platzhalter/ein-neuer-kommentar/")
    assert html.find("sup", id="fnref:1")
    assert "@" not in note.get_text()  # the key was resolved, not left as text


def test_options_go_into_the_front_matter(project, capsys):
    code, _, err = commentary(capsys, "new", "Über Öl und Gas: eine Bilanz", "--series", "strom", "--part", "7",
                              "--author", "akeller", "--date", "2025-02-03", "--tags", "Öl, Gas,,", "--category", "Energie")
    assert code == 0, err
    values = front_matter(project / "docs/artikel/ueber-oel-und-gas-eine-bilanz.md")
    assert values == {**values, "title": "Über Öl und Gas: eine Bilanz", "date": date(2025, 2, 3), "part": 7,
                      "tags": ["Öl", "Gas"], "categories": ["Energie"], "authors": ["akeller"]}
    assert "date         = {2025-02-03}" in (project / "bib/ueber-oel-und-gas-eine-bilanz.bib").read_text(encoding="utf-8")
    assert commentary(capsys, "check")[0] == 0


def test_without_series_the_source_is_on_an_example_domain(project, capsys):
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text(encoding="utf-8")
                                        .replace("default_author: redaktion", "default_author: bvogt"), encoding="utf-8")
    with (project / "docs/.authors.yml").open("a", encoding="utf-8") as authors:
        authors.write("  bvogt:\n    name: Berta Vogt\n")
    code, _, err = commentary(capsys, "new", "2024")  # a title that YAML would read as a number unquoted
    assert code == 0, err
    values = front_matter(project / "docs/artikel/2024.md")
    assert values["title"] == "2024"
    assert values["authors"] == ["bvogt"]  # extra.archive.default_author, listed in .authors.yml
    assert "series" not in values and "part" not in values
    assert "url          = {https://example.org/platzhalter/2024/}" in (project / "bib/2024.bib").read_text(encoding="utf-8")
    assert commentary(capsys, "check")[:2] == (0, "")


def test_two_scaffolds_get_keys_that_do_not_clash(project, capsys):
    assert commentary(capsys, "new", "Netze", "--date", "2025-01-01")[0] == 0
    assert commentary(capsys, "new", "Netze und mehr", "--date", "2025-01-01")[0] == 0
    assert commentary(capsys, "check")[:2] == (0, "")


def test_refuses_to_overwrite_unless_forced(project, capsys):
    assert commentary(capsys, "new", "Ein neuer Kommentar", "--series", "strom")[0] == 0
    page = project / "docs/artikel/ein-neuer-kommentar.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Hier beginnt", "Mein Text beginnt"), encoding="utf-8")
    edited = page.read_text(encoding="utf-8")
    code, out, err = commentary(capsys, "new", "Ein neuer Kommentar", "--series", "strom")
    assert (code, out) == (1, "")
    assert "already exist" in err and "--force" in err
    assert page.read_text(encoding="utf-8") == edited
    code, out, err = commentary(capsys, "new", "Ein neuer Kommentar", "--series", "strom", "--force")
    assert code == 0, err
    assert "Hier beginnt" in page.read_text(encoding="utf-8")
    assert front_matter(page)["part"] == 3  # its own old part is free again
    assert commentary(capsys, "check")[0] == 0
    assert not list(project.rglob("*.tmp")) and not list(project.rglob("*.bak"))


@pytest.mark.parametrize("args, message", [
    (["--series", "wasser"], "unknown series 'wasser' (docs/.series.yml has: strom)"),
    (["--author", "niemand"], "unknown author 'niemand' (docs/.authors.yml has: akeller)"),
    (["--part", "2"], "--part needs --series"),
    (["--series", "strom", "--part", "2"], "part 2 of series 'strom' is already docs/artikel/netze-teil-zwei.md"),
    (["--date", "12.03.2024"], "--date must be YYYY-MM-DD, not '12.03.2024'"),
    (["--date", "2023-02-29"], "--date '2023-02-29' is not a date of the calendar"),
])
def test_refusals_write_nothing(project, capsys, args, message):
    code, out, err = commentary(capsys, "new", "Ein neuer Kommentar", *args)
    assert (code, out) == (1, "")
    assert err.strip() == f"commentary new: {message}"
    assert not (project / "docs/artikel/ein-neuer-kommentar.md").exists()
    assert not (project / "bib/ein-neuer-kommentar.bib").exists()


def test_a_title_without_letters(project, capsys):
    code, _, err = commentary(capsys, "new", "„…“")
    assert code == 1 and "gives no slug" in err


def test_outside_a_project(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, _, err = commentary(capsys, "new", "Titel")
    assert code == 2 and "not inside a Kommentar-Archiv project" in err


def test_the_installed_command(project):
    """`commentary new` then `commentary check` as an editor types them."""
    commentary_bin = Path(sys.executable).parent / "commentary"
    command = [str(commentary_bin)] if commentary_bin.exists() else [sys.executable, "-m", "commentary.cli"]
    result = subprocess.run([*command, "new", "Noch ein Kommentar", "--series", "strom"], cwd=project,
                            capture_output=True, text=True, env=BUILD_ENV, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["bib/noch-ein-kommentar.bib", "docs/artikel/noch-ein-kommentar.md"]
    result = subprocess.run([*command, "check"], cwd=project, capture_output=True, text=True, env=BUILD_ENV, timeout=60)
    assert (result.returncode, result.stdout) == (0, ""), result.stdout
    assert yaml.safe_load((project / "docs/.series.yml").read_text(encoding="utf-8"))["strom"]  # untouched
