"""Static checks of the files that install and run the kit (no Docker engine runs here)."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
PINNED_IMAGE = "vmware/vcsim:v0.56.0"


def requirement_names(requirements):
    return {re.split(r"[<>=!~ ]", req, maxsplit=1)[0].lower(): req.replace(" ", "")
            for req in requirements}


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = requirement_names(project["dependencies"]
                                 + project["optional-dependencies"]["test"])
    conda = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    listed = requirement_names(d for d in conda if isinstance(d, str)
                               and not d.startswith(("python", "pip", "go")))
    assert listed == declared
    pip = next(d["pip"] for d in conda if isinstance(d, dict))
    assert "-e ." in pip


def test_compose_pins_the_simulator_and_publishes_it_on_localhost():
    compose = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())["services"]
    vcsim = compose["vcsim"]
    assert vcsim["image"] == PINNED_IMAGE
    assert vcsim["command"][:2] == ["-l", "0.0.0.0:8989"]
    assert "-dc" in vcsim["command"]  # empty inventory that lablib seeds
    assert vcsim["ports"] == ["127.0.0.1:8989:8989"]
    lab = compose["jupyterlab"]
    assert "@vcsim:8989/sdk" in lab["environment"]["LAB_SIM_URL"]
    assert lab["ports"] == ["127.0.0.1:8888:8888"]
    assert lab["build"]["dockerfile"] == "docker/Dockerfile"


def test_dockerfile_takes_vcsim_from_the_pinned_image():
    text = (ROOT / "docker" / "Dockerfile").read_text()
    assert f"FROM {PINNED_IMAGE} AS vcsim" in text
    assert "COPY --from=vcsim /vcsim" in text


def test_go_tools_module_pins_govmomi_v0_56_0():
    go_mod = (ROOT / "docker" / "go" / "go.mod").read_text()
    assert re.search(r"^require github.com/vmware/govmomi v0\.56\.0$", go_mod, re.M)
    assert "github.com/vmware/govmomi v0.56.0 h1:" in (ROOT / "docker/go/go.sum").read_text()


def test_built_tools_are_ignored_by_git():
    ignored = (ROOT / ".gitignore").read_text().split()
    assert ".build/" in ignored and ".venv/" in ignored and "lab.toml" in ignored
