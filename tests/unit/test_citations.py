"""Every document the code, the labs and the docs cite is in the repository, section included.

A citation names a project document: either a path whose first folder is `docs/` (or one
of the former `reference/`, `seed/` and `shared/` folders, which are not in the
repository), or a document's bare name, looked up in `docs/` (`vsphere-facts.md`, and the
former `DESIGN.md`, `vcsim-extension.md`, `teaching-anchors.md`, `style-anchors.md`). The
sections written after it (`§4`, `§3.2`, `§4(c)`, `§4(a), (b)`, `§1-§4`, `C2`, `(a)`) must
each be the first word of a heading of that document (`## 4.`, `### 3.2 ...`,
`### 4(c) ...`, `### C2. ...`, `## (a) ...`). URLs and paths inside other repositories
(`owner/repo path/README.md`) are not citations.
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SCANNED = ("lablib", "labs/src", "labs/README.md", "tests", "tools", "docker", "README.md",
           "docs")
SKIPPED_DIRS = {"__pycache__", ".pytest_cache", ".ipynb_checkpoints"}

#: Documents cited before docs/ existed; bare names of these resolve in docs/ like any other.
FORMER_NAMES = {"DESIGN", "vsphere-facts", "vcsim-gaps", "vcsim-extension", "precopy-model",
                "teaching-anchors", "style-anchors"}
#: First folders of a path that names a project document.
DOC_FOLDERS = {"docs", "reference", "seed", "shared"}

URL = re.compile(r"\bhttps?://\S+")
DOC_PATH = re.compile(r"(?<![\w/.:@-])((?:\.{1,2}/)*)((?:[\w.-]+/)*)([\w.-]+)\.md(?![\w-])")
ATOM = r"(?:§\s?\d+(?:\.\d+)*(?:\([a-z]\))?|C\d+\b|\([a-z]\))"
SECTIONS = re.compile(rf"`?[ \t]*({ATOM}(?:[ \t]*(?:,|and|-|–)[ \t]*{ATOM})*)")
HEADING = re.compile(r"^#{1,6}[ \t]+(\S+)", re.M)


def doc_stems() -> set[str]:
    return {p.stem for p in DOCS.glob("*.md") if p.stem != "README"} if DOCS.is_dir() else set()


@dataclass
class Citation:
    source: Path
    line: int
    text: str
    folders: str      # "" for a bare name
    name: str         # file name, e.g. "vsphere-facts.md"
    sections: list[str]

    def where(self) -> str:
        return f"{self.source.relative_to(ROOT)}:{self.line}: {self.text!r}"


def section_ids(tail: str) -> list[str]:
    """Return the sections a citation's tail names: "§4(a), (b)" -> ["4(a)", "4(b)"]."""
    atoms = [atom.replace("§", "").strip() for atom in re.findall(ATOM, tail)]
    if len(atoms) == 2 and re.search("[-–]", tail) and all(a.isdigit() for a in atoms):
        return [str(n) for n in range(int(atoms[0]), int(atoms[1]) + 1)]  # "§1-§4"
    ids, number = [], ""
    for atom in atoms:
        if atom.startswith("("):
            atom = number + atom  # "(b)" after "§4(a)" is "4(b)"
        else:
            number = re.match(r"[\d.]*", atom).group()
        ids.append(atom)
    return ids


def citations_in(text: str, source: Path, stems: set[str]) -> list[Citation]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        line = URL.sub(" ", line)
        for match in DOC_PATH.finditer(line):
            dots, folders, stem = match.groups()
            first = folders.split("/", 1)[0]
            if folders and first not in DOC_FOLDERS:
                continue
            if not folders and (dots or stem not in FORMER_NAMES | stems):
                continue
            tail = SECTIONS.match(line, match.end())
            found.append(Citation(source, number, match.group() + (tail.group() if tail else ""),
                                  dots + folders, stem + ".md",
                                  section_ids(tail.group(1)) if tail else []))
    return found


def scanned_files():
    for entry in SCANNED:
        path = ROOT / entry
        paths = [path] if path.is_file() else sorted(path.rglob("*"))
        for file in paths:
            if (file.is_file() and file != Path(__file__).resolve()
                    and not SKIPPED_DIRS & set(file.relative_to(ROOT).parts)):
                try:
                    yield file, file.read_text(encoding="utf-8")
                except UnicodeDecodeError:
                    continue


def all_citations() -> list[Citation]:
    stems = doc_stems()
    return [c for file, text in scanned_files() for c in citations_in(text, file, stems)]


def exists_exactly(path: Path) -> bool:
    """Tell whether `path` exists with this exact spelling, even on a case-blind disk."""
    path = path.resolve()
    if not path.is_relative_to(ROOT):
        return False
    current = ROOT
    for part in path.relative_to(ROOT).parts:
        if not current.is_dir() or part not in os.listdir(current):
            return False
        current = current / part
    return current.is_file()


def resolve(citation: Citation) -> Path | None:
    """Return the cited file inside the repository, or None."""
    if not citation.folders:
        candidates = [DOCS / citation.name]
    else:
        relative = Path(citation.folders) / citation.name
        stripped = Path(*[p for p in relative.parts if p not in (".", "..")])
        candidates = [citation.source.parent / relative, ROOT / stripped]
    return next((c.resolve() for c in candidates if exists_exactly(c)), None)


def headings(path: Path) -> set[str]:
    return {h.lstrip("§").rstrip(".:") for h in HEADING.findall(path.read_text(encoding="utf-8"))}


def test_the_parser_reads_every_citation_form():
    line = ("see `docs/vcsim-gaps.md` §4(a), (b), (k); DESIGN.md §3.1 and teaching.md C2, "
            "vsphere-facts.md §1-§4, ../../shared/reference/vcsim-gaps.md, docs/design.md, "
            "https://github.com/o/r/blob/main/docs/faq.md, okpy/jassign docs: notes.md, "
            "TRU-CS/autograder sample-jupyter/README.md, README.md §2")
    found = citations_in(line, ROOT / "lablib" / "x.py", {"vcsim-gaps", "design", "teaching"})
    assert [(c.folders, c.name, c.sections) for c in found] == [
        ("docs/", "vcsim-gaps.md", ["4(a)", "4(b)", "4(k)"]),
        ("", "DESIGN.md", ["3.1"]),
        ("", "teaching.md", ["C2"]),
        ("", "vsphere-facts.md", ["1", "2", "3", "4"]),
        ("../../shared/reference/", "vcsim-gaps.md", []),
        ("docs/", "design.md", []),
    ]


def test_headings_carry_their_section_numbers():
    assert {"0", "1", "4", "4(a)", "4(c)", "4(k)", "9"} <= headings(DOCS / "vcsim-gaps.md")
    assert {"0", "8"} <= headings(DOCS / "vsphere-facts.md")
    assert {"1", "3", "3.1", "3.4", "8"} <= headings(DOCS / "design.md")
    assert {"(a)", "(c)", "C1", "C4"} <= headings(DOCS / "teaching.md")
    assert {"0", "5", "10", "11"} <= headings(DOCS / "style.md")


def test_every_cited_document_is_in_the_repository():
    missing = [c.where() for c in all_citations() if resolve(c) is None]
    assert not missing, ("cited documents not in the repository (cite them as "
                         "docs/<file>.md §N):\n" + "\n".join(missing))


def test_every_cited_section_is_a_heading_of_its_document():
    wrong = []
    for citation in all_citations():
        path = resolve(citation)
        if path is None:
            continue  # reported by the test above
        absent = [s for s in citation.sections if s not in headings(path)]
        if absent:
            wrong.append(f"{citation.where()}: no heading {', '.join(absent)} in "
                         f"{path.relative_to(ROOT)}")
    assert not wrong, "cited sections missing:\n" + "\n".join(wrong)


def test_a_document_named_with_a_section_is_named_as_a_file():
    stems = "|".join(sorted(FORMER_NAMES | doc_stems(), key=len, reverse=True))
    bare = re.compile(rf"(?<![\w/.-])({stems})[ \t]+§")
    loose = [f"{file.relative_to(ROOT)}:{n}: {line.strip()!r}"
             for file, text in scanned_files() for n, line in enumerate(text.splitlines(), 1)
             if bare.search(URL.sub(" ", line))]
    assert not loose, "write the file name, docs/<file>.md §N:\n" + "\n".join(loose)


@pytest.mark.parametrize("name", ["design.md", "vsphere-facts.md", "vcsim-gaps.md",
                                  "simulator-extension.md", "precopy-model.md", "teaching.md",
                                  "style.md"])
def test_each_document_is_indexed_and_gives_its_sources(name):
    text = (DOCS / name).read_text(encoding="utf-8")
    assert f"]({name})" in (DOCS / "README.md").read_text(encoding="utf-8")
    assert re.search(r"^(## )?Sources\b", text, re.M), f"{name} names no sources"
    assert "TODO" not in text
    ids = HEADING.findall(text)
    numbered = [i for i in ids if re.match(r"§?(\d|C\d|\([a-z]\))", i)]
    assert len(numbered) == len(set(numbered)), f"{name} repeats a section number"
