"""`commentary check` through the real CLI on real files: exact output, exit codes, path filtering."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from commentary.cli import main
from conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"
BROKEN = FIXTURES / "broken"
MINI = FIXTURES / "mini"

# Every line `commentary check tests/fixtures/broken` must print, in this order.
EXPECTED = [
    "bib/felder.bib:1: ftp2024daten: url must start with http:// or https://, not 'ftp://daten.example/strom.csv'",
    "bib/felder.bib:6: datum2024falsch: date must be an ISO date (YYYY, YYYY-MM or YYYY-MM-DD), not '12.03.2024'",
    "bib/felder.bib:6: datum2024falsch: urldate must be an ISO date (YYYY, YYYY-MM or YYYY-MM-DD), not '2024-13-01'",
    "bib/felder.bib:13: ohnetitel2024: needs a title (or, for a note-only entry, a note)",
    "bib/felder.bib:18: tagung2024beitrag: entry type @inproceedings is not one of @online, @article, @book, @report, @misc",
    "bib/quellen.bib:1: amt2024bericht: same URL as 'doppelt2024url' (bib/felder.bib:23); cite that key instead",
    "bib/quellen.bib:1: key 'amt2024' (bib/schluessel.bib:1) is a prefix of 'amt2024bericht'; rename one",
    "bib/quellen.bib:16: niezitiert2024: entry is never cited",
    "bib/schluessel.bib:7: Keller2024Gross: key must be lowercase ASCII letters and digits, starting with a letter",
    "bib/schluessel.bib:18: duplicate key 'netz2024doppelt' (first on line 13)",
    "bib/schluessel.bib:23: duplicate key 'keller2024netze' (also in bib/quellen.bib:8)",
    "bib/syntax.bib:6: syntax2024kaputt: needs a title (or, for a note-only entry, a note)",
    "bib/syntax.bib:10: BibTeX syntax: syntax error in line 10: premature end of file",
    "docs/.authors.yml:5: author 'bvogt' lacks 'name'",
    "docs/.series.yml:7: series 'netz': domains must be a list of host names, e.g. [netz.example]",
    "docs/artikel/anmerkungen.md:11: note [^4] is referenced but never defined",
    "docs/artikel/anmerkungen.md:13: '@stadtwerke' in the running text would be taken as a citation: "
    "cite sources inside a note, or write &#64; for a literal @",
    "docs/artikel/anmerkungen.md:17: note [^2] is defined twice (first on line 16)",
    "docs/artikel/anmerkungen.md:18: note [^3] is defined but never referenced",
    "docs/artikel/anmerkungen.md:19: bracketed citation '[@keller2024netze, S. 3]': write the bare @key inside the note",
    "docs/artikel/anmerkungen.md:19: unknown source key '@keller2024unbekannt' (no entry in bib/)",
    "docs/artikel/datum-im-falschen-format.md:3: date must be YYYY-MM-DD, not '12.03.2024'",
    "docs/artikel/datum-im-falschen-format.md:6: part is set but series is not",
    "docs/artikel/doppelter-teil.md:6: part 1 of series 'strom' is also docs/artikel/anmerkungen.md",
    "docs/artikel/felder.md:1: front matter lacks 'description'",
    "docs/artikel/felder.md:4: unknown author 'mmuster' (not in docs/.authors.yml)",
    "docs/artikel/felder.md:6: unknown series 'wasser' (not in docs/.series.yml)",
    "docs/artikel/felder.md:7: part must be a positive whole number, not 0",
    "docs/artikel/felder.md:8: original_url must be an http(s) URL, not 'ftp://strom.example/2024/03/felder/'",
    "docs/artikel/felder.md:9: unknown front matter key 'untertitel'",
    "docs/artikel/kaputtes-yaml.md:5: front matter is not valid YAML: found unexpected end of stream",
    "docs/artikel/latin1.md:5: not UTF-8 (invalid start byte at byte 102)",
    "docs/artikel/unmoegliches-datum.md:3: date must be YYYY-MM-DD, not '2023-02-29'",
]

# Each check the issue asks for, and the line of EXPECTED that proves it is made.
KINDS = {
    "front matter: required field": "felder.md:1: front matter lacks 'description'",
    "front matter: date format": "datum-im-falschen-format.md:3: date must be YYYY-MM-DD",
    "front matter: impossible date": "unmoegliches-datum.md:3: date must be YYYY-MM-DD, not '2023-02-29'",
    "front matter: not YAML": "kaputtes-yaml.md:5: front matter is not valid YAML",
    "front matter: unknown key": "felder.md:9: unknown front matter key",
    "front matter: known authors": "felder.md:4: unknown author 'mmuster'",
    "front matter: known series": "felder.md:6: unknown series 'wasser'",
    "front matter: part": "felder.md:7: part must be a positive whole number",
    "front matter: part without series": "datum-im-falschen-format.md:6: part is set but series is not",
    "front matter: duplicate part": "doppelter-teil.md:6: part 1 of series 'strom' is also",
    "front matter: original_url scheme": "felder.md:8: original_url must be an http(s) URL",
    "footnote referenced, not defined": "anmerkungen.md:11: note [^4] is referenced but never defined",
    "footnote defined, not referenced": "anmerkungen.md:18: note [^3] is defined but never referenced",
    "footnote defined twice": "anmerkungen.md:17: note [^2] is defined twice",
    "bracketed citation": "anmerkungen.md:19: bracketed citation",
    "every @key known": "anmerkungen.md:19: unknown source key '@keller2024unbekannt'",
    "stray @word": "anmerkungen.md:13: '@stadtwerke' in the running text",
    "every entry cited": "quellen.bib:16: niezitiert2024: entry is never cited",
    "duplicate key within a file": "schluessel.bib:18: duplicate key 'netz2024doppelt' (first on line 13)",
    "duplicate key across bib/": "schluessel.bib:23: duplicate key 'keller2024netze' (also in bib/quellen.bib:8)",
    "duplicate URL across bib/": "same URL as 'doppelt2024url' (bib/felder.bib:23)",
    "URL scheme": "felder.bib:1: ftp2024daten: url must start with http:// or https://",
    "prefix-free keys": "key 'amt2024' (bib/schluessel.bib:1) is a prefix of 'amt2024bericht'",
    "key form": "schluessel.bib:7: Keller2024Gross: key must be lowercase",
    "bib date form": "felder.bib:6: datum2024falsch: date must be an ISO date",
    "bib entry without title": "felder.bib:13: ohnetitel2024: needs a title",
    "bib entry type": "felder.bib:18: tagung2024beitrag: entry type @inproceedings",
    "BibTeX syntax": "syntax.bib:10: BibTeX syntax",
    "not UTF-8": "latin1.md:5: not UTF-8",
    "series file": "docs/.series.yml:7: series 'netz': domains must be a list",
    "authors file": "docs/.authors.yml:5: author 'bvogt' lacks 'name'",
}


def run_check(capsys, *args: str | Path) -> tuple[int, list[str], str]:
    code = main(["check", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def copy(source: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(source, tmp_path / source.name))


def test_broken_fixture_prints_exactly_the_expected_lines_through_the_installed_command():
    command = [sys.executable, "-m", "commentary.cli", "check", str(BROKEN)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines() == EXPECTED
    assert result.returncode == 1
    assert result.stderr.strip() == "33 problems (32 errors, 1 notice) in 13 files"


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_problem_is_reported(kind):
    assert [line for line in EXPECTED if KINDS[kind] in line], f"no line for {kind}"


def test_running_inside_the_project_without_paths(capsys, monkeypatch):
    monkeypatch.chdir(BROKEN / "docs" / "artikel")
    code, lines, _ = run_check(capsys)
    assert (code, lines) == (1, EXPECTED)


def test_the_mini_fixture_is_clean(capsys):
    code, lines, err = run_check(capsys, MINI)
    assert (code, lines) == (0, [])
    assert err.strip() == "no problems: 2 articles, 2 sources"


def test_the_demo_archive_is_clean(capsys):
    code, lines, err = run_check(capsys, ROOT)
    assert lines == []
    assert code == 0
    assert err.startswith("no problems: ")


def test_the_demo_is_checked_in_under_a_second():
    """The issue's budget, as CPU time of the whole command (wall time depends on the machine's load)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "commentary.cli", "check"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert result.returncode == 0, result.stdout
    assert cpu < 1.0, f"commentary check on the demo took {cpu:.2f} s CPU ({wall:.2f} s wall)"


def test_paths_select_files_but_resolve_against_the_whole_project(capsys):
    # doppelter-teil.md cites keys defined in bib/ and shares a part with anmerkungen.md
    article = BROKEN / "docs/artikel/doppelter-teil.md"
    code, lines, err = run_check(capsys, article)
    assert code == 1
    assert lines == ["docs/artikel/doppelter-teil.md:6: part 1 of series 'strom' is also docs/artikel/anmerkungen.md"]
    assert "given paths only" in err
    code, lines, _ = run_check(capsys, BROKEN / "bib/felder.bib", BROKEN / "docs/artikel/felder.md")
    assert code == 1
    # a problem between two files (the same URL twice) concerns both: it is reported for either
    assert lines == [line for line in EXPECTED if line.startswith(("bib/felder.bib:", "docs/artikel/felder.md:"))
                     or "(bib/felder.bib:23)" in line]
    assert "bib/quellen.bib:1: amt2024bericht: same URL as 'doppelt2024url' (bib/felder.bib:23); cite that key instead" in lines
    code, lines, _ = run_check(capsys, BROKEN / "docs/artikel/anmerkungen.md")
    assert lines[-1] == "docs/artikel/doppelter-teil.md:6: part 1 of series 'strom' is also docs/artikel/anmerkungen.md"
    code, lines, _ = run_check(capsys, BROKEN / "bib")
    assert lines == [line for line in EXPECTED if line.startswith("bib/")]


def test_a_clean_file_in_a_broken_project_passes(capsys, tmp_path):
    project = copy(BROKEN, tmp_path)
    clean = project / "docs/artikel/sauber.md"
    clean.write_text(
        '---\ntitle: "Sauber"\ndate: 2024-07-01\nauthors: [akeller]\ndescription: "Ohne Fehler."\n---\n\n'
        "Ein Satz.[^1]\n\n[^1]: Siehe @keller2024netze.\n", encoding="utf-8")
    code, lines, _ = run_check(capsys, clean)
    assert (code, lines) == (0, [])


def test_paths_are_named_relative_to_the_project_root_from_anywhere(capsys, monkeypatch, tmp_path):
    project = copy(MINI, tmp_path)
    (project / "docs/artikel/netze-teil-eins.md").write_text(
        (project / "docs/artikel/netze-teil-eins.md").read_text(encoding="utf-8").replace("[^2]: Nur", "[^3]: Nur"),
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, lines, _ = run_check(capsys, Path("mini/docs/artikel/netze-teil-eins.md"))
    assert code == 1
    assert lines == ["docs/artikel/netze-teil-eins.md:13: note [^2] is referenced but never defined",
                     "docs/artikel/netze-teil-eins.md:16: note [^3] is defined but never referenced"]


def test_a_notice_alone_fails_the_check(capsys, tmp_path):
    project = copy(MINI, tmp_path)
    with (project / "bib/netze-teil-eins.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n@online{spaeter2024, title = {Noch nicht zitiert}, url = {https://spaeter.example/}}\n")
    code, lines, err = run_check(capsys, project)
    assert code == 1
    assert lines == ["bib/netze-teil-eins.bib:8: spaeter2024: entry is never cited"]
    assert err.strip() == "1 problem (0 errors, 1 notice) in 1 file"


def test_authors_named_while_no_authors_file_exists(capsys, tmp_path):
    project = copy(MINI, tmp_path)
    (project / "docs/.authors.yml").unlink()
    code, lines, _ = run_check(capsys, project)
    assert code == 1
    assert lines == ["docs/artikel/netze-teil-eins.md:4: unknown author 'akeller' (not in docs/.authors.yml)",
                     "docs/artikel/netze-teil-zwei.md:4: unknown author 'akeller' (not in docs/.authors.yml)"]


def test_a_series_file_the_library_cannot_read_is_named_not_a_traceback(capsys, tmp_path):
    project = copy(MINI, tmp_path)
    (project / "docs/.series.yml").write_text("strom: Strom im Alltag\nwind:\n  titel: Wind\n", encoding="utf-8")
    code, lines, _ = run_check(capsys, project)
    assert code == 1
    assert lines == ["docs/.series.yml:1: series 'strom' must be a mapping with title, description and domains",
                     "docs/.series.yml:2: series 'wind' lacks 'title'",
                     "docs/.series.yml:3: series 'wind': unknown key 'titel' (allowed: title, description, domains)"]


def test_a_series_file_that_is_not_yaml(capsys, tmp_path):
    project = copy(MINI, tmp_path)
    (project / "docs/.series.yml").write_text('strom:\n  title: "Strom\n', encoding="utf-8")
    code, lines, _ = run_check(capsys, project)
    assert code == 1
    assert lines == ["docs/.series.yml:3: not valid YAML: found unexpected end of stream",
                     "docs/artikel/netze-teil-eins.md:7: unknown series 'strom' (not in docs/.series.yml)",
                     "docs/artikel/netze-teil-zwei.md:7: unknown series 'strom' (not in docs/.series.yml)"]


def test_an_authors_file_without_authors_mapping(capsys, tmp_path):
    project = copy(MINI, tmp_path)
    (project / "docs/.authors.yml").write_text("akeller:\n  name: Anna Keller\n", encoding="utf-8")
    code, lines, _ = run_check(capsys, project)
    assert code == 1
    assert lines[0] == "docs/.authors.yml:1: must hold 'authors:', a mapping of author ids to {name, description}"
    assert "docs/artikel/netze-teil-eins.md:4: unknown author 'akeller' (not in docs/.authors.yml)" in lines


def test_a_missing_project_is_exit_2(capsys, tmp_path):
    code, lines, err = run_check(capsys, tmp_path)
    assert (code, lines) == (2, [])
    assert "not inside a Kommentar-Archiv project" in err


def test_a_missing_path_is_exit_2(capsys, tmp_path):
    code, lines, err = run_check(capsys, tmp_path / "nirgends.md")
    assert (code, lines) == (2, [])
    assert "nirgends.md: no such file or folder" in err


def test_a_broken_mkdocs_yml_is_exit_2_with_its_line(capsys, tmp_path):
    project = copy(MINI, tmp_path)
    (project / "mkdocs.yml").write_text("site_name: Test\nplugins:\n  - bibtex: [\n", encoding="utf-8")
    code, lines, err = run_check(capsys, project)
    assert (code, lines) == (2, [])
    assert f"{project / 'mkdocs.yml'}:4: not valid YAML" in err
    (project / "mkdocs.yml").write_text("- just\n- a list\n", encoding="utf-8")
    code, _, err = run_check(capsys, project)
    assert code == 2 and "not a mapping of MkDocs settings" in err
    (project / "mkdocs.yml").write_text("site_name: Test\ndocs_dir: inhalt\n", encoding="utf-8")
    code, _, err = run_check(capsys, project)
    assert code == 2 and "docs_dir 'inhalt' is not a folder" in err


def test_the_project_config_decides_where_docs_and_bib_are(capsys, tmp_path):
    project = copy(MINI, tmp_path)
    (project / "bib").rename(project / "quellen")
    (project / "mkdocs.yml").write_text("site_name: Test\nplugins:\n  - bibtex:\n      bib_dir: quellen\n", encoding="utf-8")
    code, lines, _ = run_check(capsys, project)
    assert (code, lines) == (0, [])
    (project / "quellen/netze-teil-zwei.bib").unlink()
    code, lines, _ = run_check(capsys, project)
    assert lines == ["docs/artikel/netze-teil-zwei.md:15: unknown source key '@keller2024netze' (no entry in bib/)"]


def test_the_pre_commit_hook_refuses_a_commit_with_a_problem(tmp_path):
    """The repository's .pre-commit-config.yaml, installed into a git repository of the mini archive."""
    pre_commit = Path(sys.executable).parent / "pre-commit"
    assert pre_commit.exists(), "pre-commit is a test dependency: make test installs it"
    repo = copy(MINI, tmp_path)
    for part in ("mkdocs.yml", ".pre-commit-config.yaml"):
        shutil.copy2(ROOT / part, repo / part)
    (repo / ".venv").symlink_to(Path(sys.executable).parent.parent)  # the hook runs .venv/bin/commentary
    (repo / ".gitignore").write_text(".venv\n", encoding="utf-8")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}

    def run(*command: str | Path) -> subprocess.CompletedProcess:
        return subprocess.run([str(c) for c in command], cwd=repo, env=env, capture_output=True, text=True, timeout=120)

    assert run(pre_commit, "validate-config").returncode == 0
    assert run("git", "init", "-q").returncode == 0
    assert run(pre_commit, "install").returncode == 0
    run("git", "add", ".")
    first = run("git", "commit", "-q", "-m", "Archiv")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "commentary check" in first.stderr and "Passed" in first.stderr  # git shows the hook's output on stderr

    article = repo / "docs/artikel/netze-teil-eins.md"
    article.write_text(article.read_text(encoding="utf-8").replace("[^2]: Nur", "[^3]: Nur"), encoding="utf-8")
    run("git", "add", ".")
    refused = run("git", "commit", "-q", "-m", "Kaputt")
    assert refused.returncode == 1
    assert "docs/artikel/netze-teil-eins.md:13: note [^2] is referenced but never defined" in refused.stderr
    assert run("git", "rev-list", "--count", "HEAD").stdout.strip() == "1"

    # a commit that touches no content does not run the check
    run("git", "reset", "-q", "HEAD", "--", "docs")
    (repo / "NOTIZEN.txt").write_text("keine Inhalte\n", encoding="utf-8")
    run("git", "add", "NOTIZEN.txt")
    other = run("git", "commit", "-q", "-m", "Notizen")
    assert other.returncode == 0, other.stdout + other.stderr
    assert "no files to check" in other.stderr
