"""GitHub workflows, linted offline: actionlint, the workflow JSON schema, zizmor, and the Pages
workflow's shape (parsed with PyYAML). Every check is also run on a broken workflow to prove it can
fail. Finally the Pages build step itself is executed with the environment it gets on GitHub."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, copy_project, read_html

WORKFLOWS_DIR = ROOT / ".github" / "workflows"
WORKFLOWS = sorted(WORKFLOWS_DIR.glob("*.yml")) + sorted(WORKFLOWS_DIR.glob("*.yaml"))
PAGES = WORKFLOWS_DIR / "pages.yml"
TIMEOUT = 120

# Findings of zizmor (high severity) that we accept, each marked with an inline
# `# zizmor: ignore[...]` comment in the workflow:
# - unpinned-uses on GitHub's own actions/* at a major tag: a commit SHA cannot be verified against
#   the upstream tag without network (and a wrong SHA breaks the deployment); GitHub's own actions
#   are the most trusted third party a Pages workflow has anyway.
# - unpinned-images on Docker's official python image by tag, for the same reason.
ACCEPTED_HIGH = {
    "unpinned-uses": re.compile(r"actions/[A-Za-z0-9_.-]+@v\d+"),
    "unpinned-images": re.compile(r"python:3\.\d+-bookworm"),
}


def tool(name: str) -> str:
    """A linter installed with the test extras (next to this interpreter, or on PATH)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: .venv/bin/python -m pip install -c constraints.txt -e '.[site,test]'")
    return found


def run(*command: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean True.
    on = workflow.get("on", workflow.get(True))
    return {on: None} if isinstance(on, str) else dict.fromkeys(on) if isinstance(on, list) else on or {}


def steps_using(job: dict, action: str) -> list[dict]:
    return [s for s in job.get("steps", []) if str(s.get("uses", "")).split("@")[0] == action]


def one_step(job: dict, action: str) -> dict | None:
    found = steps_using(job, action)
    return found[0] if len(found) == 1 else None


def major(step: dict | None) -> str | None:
    return str(step["uses"]).split("@", 1)[1] if step and "@" in str(step.get("uses")) else None


def pages_problems(workflow: dict) -> list[str]:
    """Everything the Pages workflow must be (issue 5, "Publishing"), as a list of what is wrong."""
    problems: list[str] = []
    on = triggers(workflow)
    if (on.get("push") or {}).get("branches") != ["main"]:
        problems.append("not triggered by push to main")
    if "workflow_dispatch" not in on:
        problems.append("no workflow_dispatch")
    if workflow.get("permissions") not in ({}, {"contents": "read"}):
        problems.append(f"workflow permissions {workflow.get('permissions')!r}")
    if workflow.get("concurrency") != {"group": "pages", "cancel-in-progress": False}:
        problems.append(f"concurrency {workflow.get('concurrency')!r}")
    jobs = workflow.get("jobs", {})
    if set(jobs) != {"build", "deploy"}:
        return problems + [f"jobs {sorted(jobs)}"]
    build, deploy = jobs["build"], jobs["deploy"]

    if build.get("permissions") != {"contents": "read"}:
        problems.append(f"build permissions {build.get('permissions')!r}")
    checkout = one_step(build, "actions/checkout")
    if not checkout or (checkout.get("with") or {}).get("fetch-depth") != 0:
        problems.append("checkout without fetch-depth 0")
    if checkout and (checkout.get("with") or {}).get("persist-credentials") is not False:
        problems.append("checkout persists the token")
    python = one_step(build, "actions/setup-python")
    version = str((python or {}).get("with", {}).get("python-version", ""))
    if not re.fullmatch(r"3\.(1[1-9]|[2-9]\d)", version):
        problems.append(f"setup-python version {version!r}")
    runs = [str(s.get("run", "")) for s in build.get("steps", [])]
    if not any(re.search(r"pip install -c constraints\.txt -e '\.\[site\]'", r) for r in runs):
        problems.append("site dependencies not installed with constraints.txt")
    configure = one_step(build, "actions/configure-pages")
    if not configure or not configure.get("id"):
        problems.append("no configure-pages step with an id")
    builds = [s for s in build.get("steps", []) if re.search(r"(^|\s)mkdocs build --strict(\s|$)", str(s.get("run", "")))]
    if len(builds) != 1:
        problems.append("no single `mkdocs build --strict` step")
    else:
        env = builds[0].get("env") or {}
        wanted = "${{ steps.%s.outputs.base_url }}" % (configure or {}).get("id")
        if env.get("SITE_URL") != wanted:
            problems.append(f"SITE_URL is {env.get('SITE_URL')!r}, not {wanted}")
        if str(env.get("NO_MKDOCS_2_WARNING")) != "1":
            problems.append("NO_MKDOCS_2_WARNING not set")
    upload = one_step(build, "actions/upload-pages-artifact")
    if major(upload) != "v5":
        problems.append(f"upload-pages-artifact at {major(upload)}")
    elif (upload.get("with") or {}).get("path") != "site":
        problems.append("upload-pages-artifact does not upload site")
    order = [str(s.get("uses") or s.get("run")) for s in build.get("steps", [])]
    if upload and builds and configure and not (
        order.index(str(configure["uses"])) < order.index(str(builds[0]["run"])) < order.index(str(upload["uses"]))
    ):
        problems.append("build steps out of order (configure-pages, mkdocs build, upload)")

    if deploy.get("needs") not in ("build", ["build"]):
        problems.append("deploy does not need build")
    if deploy.get("permissions") != {"pages": "write", "id-token": "write"}:
        problems.append(f"deploy permissions {deploy.get('permissions')!r}")
    deploy_step = one_step(deploy, "actions/deploy-pages")
    if major(deploy_step) != "v5":
        problems.append(f"deploy-pages at {major(deploy_step)}")
    env_ = deploy.get("environment") or {}
    wanted_url = "${{ steps.%s.outputs.page_url }}" % (deploy_step or {}).get("id")
    if env_.get("name") != "github-pages" or env_.get("url") != wanted_url:
        problems.append(f"deploy environment {env_!r}")
    return problems


# --- the repository's workflows --------------------------------------------------------------


def test_workflows_exist():
    assert PAGES in WORKFLOWS


def test_actionlint_reports_nothing():
    result = run(tool("actionlint"), "-no-color", "-oneline", *WORKFLOWS)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_schema_validates():
    result = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def zizmor(*args: str | Path) -> list[dict]:
    result = run(tool("zizmor"), "--offline", "--no-config", "--format", "json", *args)
    assert result.returncode in (0, 10, 11, 12, 13, 14), result.stderr
    return json.loads(result.stdout or "[]")


def describe(finding: dict) -> str:
    where = finding["locations"][0]["symbolic"]["key"]["Local"]["verbatim_path"]
    primary = [loc for loc in finding["locations"] if loc["symbolic"]["kind"] == "Primary"] or finding["locations"]
    return f"{where}: {finding['ident']} ({finding['determinations']['severity']}): {primary[0]['concrete']['feature']}"


def test_zizmor_reports_nothing():
    # Pedantic persona: even code smells (undocumented permissions, anonymous jobs) are fixed.
    findings = zizmor("--persona", "pedantic", WORKFLOWS_DIR)
    assert [describe(f) for f in findings] == []


def test_zizmor_ignores_only_the_accepted_high_findings():
    findings = zizmor("--no-ignores", WORKFLOWS_DIR)
    unexpected = [
        describe(f) for f in findings
        if not (f["ident"] in ACCEPTED_HIGH and any(
            ACCEPTED_HIGH[f["ident"]].fullmatch(loc["concrete"]["feature"].strip()) for loc in f["locations"]))
    ]
    assert unexpected == []


def test_pages_workflow_shape():
    assert pages_problems(load(PAGES)) == []


def test_pages_install_matches_the_project():
    """The workflow installs the `site` extra that pyproject.toml defines, with the constraints file."""
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(req.startswith("mkdocs==") for req in extras["site"])
    assert (ROOT / "constraints.txt").exists()


def test_every_workflow_starts_with_no_permissions():
    for path in WORKFLOWS:
        workflow = load(path)
        assert workflow.get("permissions") in ({}, {"contents": "read"}), path.name
        for name, job in workflow["jobs"].items():
            assert "permissions" in job, f"{path.name}: job {name} inherits permissions"
            assert "write-all" not in str(job["permissions"]), f"{path.name}: job {name}"


def test_ci_workflow_runs_the_ci_script():
    path = WORKFLOWS_DIR / "test.yml"
    if not path.exists():
        pytest.skip("no CI workflow")
    steps = [s for job in load(path)["jobs"].values() for s in job["steps"]]
    assert [s["run"] for s in steps if "run" in s] == ["bash .ci/run"]
    assert "apt-get install" in (ROOT / ".ci" / "run").read_text() and "make test" in (ROOT / ".ci" / "run").read_text()


def test_the_pages_build_step_runs_as_on_github(tmp_path):
    """Run the workflow's own build step in a copy of the project, with the base_url that
    configure-pages gives a project site (no trailing slash): links carry the /<repo>/ prefix."""
    build = load(PAGES)["jobs"]["build"]
    step = next(s for s in build["steps"] if "mkdocs build --strict" in str(s.get("run", "")))
    env = {k: str(v) for k, v in step["env"].items()}
    env["SITE_URL"] = "https://nutzer.github.io/kommentar-archiv"
    project = copy_project(tmp_path / "project")
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    result = subprocess.run(["bash", "-c", step["run"]], cwd=project, env={**os.environ, **env, "PATH": path},
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "MkDocs 2.0" not in result.stderr  # NO_MKDOCS_2_WARNING took effect
    canonical = read_html(project / "site", "").find("link", rel="canonical")
    assert canonical and canonical["href"] == "https://nutzer.github.io/kommentar-archiv/"


# --- the same checks fail on broken workflows ------------------------------------------------

BROKEN = """\
name: broken
on:
  push:
    branches: [main]
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v7
        with:
          persist-credentials: false
      - run: mkdocs build --strict
        env:
          SITE_URL: ${{ steps.pages.outputs.base_url }}
  deploy:
    needs: biuld
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    steps:
      - uses: actions/deploy-pages@v4
"""


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(BROKEN)
    result = run(tool("actionlint"), "-no-color", "-oneline", broken)
    assert result.returncode == 1
    assert 'job "deploy" needs job "biuld" which does not exist' in result.stdout
    assert 'runtime "node20" is deprecated' in result.stdout  # deploy-pages@v4
    assert 'property "pages" is not defined' in result.stdout  # no step with id pages


def test_schema_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(BROKEN.replace("      pages: write", "      pages: writ").replace("    runs-on: ubuntu-latest\n", "", 1))
    result = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", broken)
    assert result.returncode == 1
    assert "$.jobs.build: 'runs-on' is a required property" in result.stdout
    assert "$.jobs.deploy.permissions.pages: 'writ' is not one of" in result.stdout


def test_zizmor_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "name: broken\non: pull_request_target\njobs:\n  greet:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v7\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n"
        "      - run: echo \"${{ github.event.pull_request.title }}\"\n"
    )
    high = {f["ident"] for f in zizmor(broken) if f["determinations"]["severity"] == "High"}
    assert {"template-injection", "dangerous-triggers", "unpinned-uses"} <= high


def test_accepted_findings_are_narrow(tmp_path):
    """A third-party action at a tag, or an ignore comment on something else, is not accepted."""
    broken = tmp_path / "broken.yml"
    broken.write_text(BROKEN.replace("actions/deploy-pages@v4", "someone/deploy-pages@main"))
    findings = zizmor("--no-ignores", broken)
    features = [loc["concrete"]["feature"].strip() for f in findings for loc in f["locations"]
                if f["ident"] == "unpinned-uses"]
    assert "someone/deploy-pages@main" in features
    assert not ACCEPTED_HIGH["unpinned-uses"].fullmatch("someone/deploy-pages@main")


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        (("jobs", "deploy", "needs"), "other", "deploy does not need build"),
        (("jobs", "deploy", "permissions", "contents"), "write", "deploy permissions"),
        (("jobs", "build", "permissions", "pages"), "write", "build permissions"),
        (("permissions",), "write-all", "workflow permissions"),
        (("jobs", "build", "steps", 0, "with", "fetch-depth"), 1, "checkout without fetch-depth 0"),
        (("jobs", "build", "steps", "mkdocs", "run"), "mkdocs build", "no single `mkdocs build --strict` step"),
        (("jobs", "build", "steps", "mkdocs", "env", "SITE_URL"), "https://example.org/", "SITE_URL is"),
        (("jobs", "build", "steps", "upload", "uses"), "actions/upload-pages-artifact@v4", "upload-pages-artifact at v4"),
        (("jobs", "deploy", "steps", 0, "uses"), "actions/deploy-pages@v4", "deploy-pages at v4"),
        (("concurrency", "cancel-in-progress"), True, "concurrency"),
        (("jobs", "deploy", "environment", "name"), "production", "deploy environment"),
    ],
)
def test_shape_check_catches(path, value, problem):
    workflow = copy.deepcopy(load(PAGES))
    steps = workflow["jobs"]["build"]["steps"]
    aliases = {
        "mkdocs": next(i for i, s in enumerate(steps) if "mkdocs build" in str(s.get("run", ""))),
        "upload": next(i for i, s in enumerate(steps) if "upload-pages-artifact" in str(s.get("uses", ""))),
    }
    target = workflow
    keys = [aliases.get(k, k) for k in path]
    for key in keys[:-1]:
        target = target[key]
    target[keys[-1]] = value
    problems = pages_problems(workflow)
    assert any(p.startswith(problem) for p in problems), problems


def test_gh_deploy_route_with_custom_domain(tmp_path):
    """README route 2: `mkdocs gh-deploy --force --strict` pushes site/ (with .nojekyll and the
    docs/CNAME of a custom domain) to gh-pages; here the remote is a local bare repository."""
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    project = copy_project(tmp_path / "checkout")
    (project / "docs" / "CNAME").write_text("kommentare.example.org\n")
    git_env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
               "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}
    for command in (["init", "-q", "-b", "main"], ["remote", "add", "origin", str(remote)],
                    ["add", "."], ["commit", "-q", "-m", "content"]):
        subprocess.run(["git", *command], cwd=project, env=git_env, check=True, capture_output=True)
    env = {**git_env, "SITE_URL": "https://kommentare.example.org/", "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "gh-deploy", "--force", "--strict"], cwd=project,
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]

    def show(*args: str) -> str:
        return subprocess.run(["git", "--git-dir", str(remote), *args], capture_output=True, text=True, check=True).stdout

    published = set(show("ls-tree", "--name-only", "gh-pages").split())
    assert {".nojekyll", "CNAME", "index.html", "404.html"} <= published
    assert show("show", "gh-pages:CNAME") == "kommentare.example.org\n"
    assert '<link rel="canonical" href="https://kommentare.example.org/">' in show("show", "gh-pages:index.html")
