"""No secret in the repository, and no credential or machine path in a notebook's outputs.

Scans every file git tracks (docs/design.md §8: "Credentials never reach notebook outputs or
logs"). In every text file: private keys, access tokens, passwords written as values,
URLs with a real password. In every notebook, also: absolute home, temporary or work
paths and any URL credentials in the outputs and metadata (a run on a student's machine
must not publish their paths or their simulator's per-run password), and the password
set from a cell. Placeholders (`user:pass`, `{password}`, `$LAB_PASSWORD`, "secret",
values starting with "fake"/"wrong") are allowed, so the docs can show the syntax.
"""

import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PLACEHOLDER_PASSWORDS = {"pass", "password", "secret", "changeme", "example", "xxx",
                         "pw", "..."}
SECRETS = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY"),
    "GitHub token": re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{40,})"),
    "GitLab token": re.compile(r"\bglpat-[A-Za-z0-9_-]{20}"),
    "AWS access key": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "Slack token": re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    "API key or token value": re.compile(
        r"(?i)\b(?:api[_-]?key|access[_-]?token|auth[_-]?token|secret[_-]?key)\b\s*[:=]\s*"
        r"[\"'][A-Za-z0-9/+_.-]{16,}[\"']"),
}
PASSWORD_VALUE = re.compile(
    r"(?i)(?:passw(?:or)?d|GOVC_PASSWORD|LAB_PASSWORD)[\"']?\]?\s*[:=]\s*[\"']([^\"'\n]*)[\"']")
ENV_PASSWORD = re.compile(r"(?i)(?:%env\s+|export\s+|\b)(?:LAB|GOVC)_PASSWORD=([^\s\"'$]+)")
URL_CREDENTIALS = re.compile(r"\b[a-z][a-z0-9+.-]*://([^/\s:@\"'<>]+):([^/\s@\"'<>]+)@")
MACHINE_PATH = re.compile(
    r"(?<![\w.~-])(?:/home/[^/\s\"']+|/root|/Users/[^/\s\"']+|/tmp|/var/folders|/private/var"
    r"|/work)(?=/)|[A-Za-z]:\\Users\\")


def tracked_files() -> list[Path]:
    try:
        done = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                              check=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the scan covers the files git tracks")
    return [ROOT / name for name in done.stdout.decode().split("\0") if name]


def read_text(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None  # listed by git but deleted in the work tree
    if b"\0" in data[:8192]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def is_placeholder(value: str) -> bool:
    value = value.strip()
    return (not value or value.lower() in PLACEHOLDER_PASSWORDS
            or value.lower().startswith(("fake", "wrong", "not-", "example"))
            or value[0] in "{<$%*" or value.isupper())


def secrets_in(text: str) -> list[str]:
    """Return what looks like a secret in a text: private keys, tokens, passwords."""
    found = [name for name, pattern in SECRETS.items() if pattern.search(text)]
    for pattern in (PASSWORD_VALUE, ENV_PASSWORD):
        found += [f"password value {m.group(1)[:3]}..." for m in pattern.finditer(text)
                  if not is_placeholder(m.group(1))]
    found += [f"URL credentials for {m.group(1)}" for m in URL_CREDENTIALS.finditer(text)
              if not is_placeholder(m.group(2))]
    return found


def leaks_in_output(text: str) -> list[str]:
    """Return what an output must never show: any URL credentials, machine paths."""
    found = [f"URL credentials {m.group(1)}:..." for m in URL_CREDENTIALS.finditer(text)
             if (m.group(1), m.group(2)) != ("user", "pass")]
    found += [f"machine path {m.group(0)}" for m in MACHINE_PATH.finditer(text)]
    return found


def notebook_problems(text: str) -> list[str]:
    """Return the problems of one notebook's JSON text."""
    notebook = json.loads(text)
    problems = [f"metadata: {p}" for p in leaks_in_output(json.dumps(notebook.get("metadata",
                                                                                  {})))]
    for number, cell in enumerate(notebook.get("cells", []), 1):
        source = "".join(cell.get("source", []))
        problems += [f"cell {number} source: {p}" for p in secrets_in(source)]
        if re.search(r"environ\[[\"'](?:LAB|GOVC)_PASSWORD[\"']\]\s*=", source):
            problems.append(f"cell {number} source: sets the password in a cell")
        shown = json.dumps(cell.get("outputs", [])) + json.dumps(cell.get("metadata", {}))
        problems += [f"cell {number} output: {p}" for p in secrets_in(shown)
                     + leaks_in_output(shown)]
    return problems


def test_no_secret_in_any_tracked_file():
    problems = {}
    for path in tracked_files():
        text = read_text(path)
        if text is not None:
            found = notebook_problems(text) if path.suffix == ".ipynb" else secrets_in(text)
            if found:
                problems[str(path.relative_to(ROOT))] = found
    assert problems == {}


def test_every_committed_notebook_is_scanned():
    notebooks = [p for p in tracked_files() if p.suffix == ".ipynb"]
    for path in notebooks:
        assert "cells" in json.loads(path.read_text(encoding="utf-8")), path


# The scanner finds what it is meant to find (the leaks are assembled here, so this
# file itself stays clean for the scan above).
SECRET = "hunter" + "2-" + "x7Qp"
LEAKS = [
    ("GOVC_URL with the simulator's password",
     {"output_type": "stream", "name": "stdout",
      "text": f"export GOVC_URL='https://lab:{SECRET}@127.0.0.1:8989/sdk'"}),
    ("home path in a traceback",
     {"output_type": "error", "ename": "E", "evalue": "x",
      "traceback": ["File /home/alice/labs/lib.py, line 3"]}),
    ("temporary path", {"output_type": "execute_result", "execution_count": 1, "metadata": {},
                        "data": {"text/plain": "'/tmp/vmotion-lab-test-1/state/sim.json'"}}),
    ("token", {"output_type": "stream", "name": "stdout", "text": "ghp_" + "a1" * 18}),
]


def _notebook(source: str, outputs: list) -> str:
    return json.dumps({"cells": [{"cell_type": "code", "source": [source], "metadata": {},
                                  "outputs": outputs, "execution_count": 1}],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


@pytest.mark.parametrize("output", [leak for _, leak in LEAKS], ids=[n for n, _ in LEAKS])
def test_the_scan_catches_a_leak_in_an_output(output):
    assert notebook_problems(_notebook("lab.status()", [output]))


@pytest.mark.parametrize("source", [
    f'import os\nos.environ["LAB_PASSWORD"] = "{SECRET}"',
    f"%env LAB_PASSWORD={SECRET}",
    f'password = "{SECRET}"',
])
def test_the_scan_catches_a_password_typed_in_a_cell(source):
    assert notebook_problems(_notebook(source, []))


def test_the_scan_lets_placeholders_and_relative_paths_through():
    text = _notebook('url = "https://user:pass@localhost:8989/sdk"  # LAB_SIM_URL',
                     [{"output_type": "stream", "name": "stdout",
                       "text": "labs/en/00_setup.ipynb https://127.0.0.1:8989/sdk"}])
    assert notebook_problems(text) == []
