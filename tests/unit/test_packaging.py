"""Static checks of the files that install and run the kit (no Docker engine runs here)."""

import json
import re
import tomllib
from pathlib import Path

import yaml

from lablib.config import VCSIM_IMAGE

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


def test_compose_builds_the_lab_simulator_and_publishes_it_on_localhost():
    compose = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())["services"]
    vcsim = compose["vcsim"]
    context = ROOT / "docker" / vcsim["build"]["context"]
    assert context == ROOT / "docker" / "go"
    assert (context / vcsim["build"]["dockerfile"]).is_file()
    name, tag = vcsim["image"].split(":")  # the built image's name: pinned, never latest
    assert tag and tag != "latest" and not name.startswith("vmware/")
    command = vcsim["command"]
    assert command[:2] == ["-l", "0.0.0.0:8989"]
    assert command[command.index("-dc") + 1] == "0"  # empty inventory that lablib seeds
    assert vcsim["ports"] == ["127.0.0.1:8989:8989"]
    lab = compose["jupyterlab"]
    assert "@vcsim:8989/sdk" in lab["environment"]["LAB_SIM_URL"]
    assert lab["ports"] == ["127.0.0.1:8888:8888"]
    assert lab["build"]["dockerfile"] == "docker/Dockerfile"


def test_compose_gives_the_simulator_the_course_hosts_profile():
    vcsim = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())["services"]["vcsim"]
    profile = vcsim["command"][vcsim["command"].index("-host-profile") + 1]
    mounts = {target: source for source, target, *_ in
              (volume.split(":") for volume in vcsim["volumes"])}
    source = (ROOT / "docker" / mounts[profile]).resolve()
    assert source == ROOT / "lablib" / "sim" / "course_hosts.json"
    assert vcsim["volumes"] == [f"{mounts[profile]}:{profile}:ro"]  # read-only
    hosts = json.loads(source.read_text())["hosts"]
    assert {"ESXi_1", "ESXi_2"} <= set(hosts)


def test_the_public_image_stays_supported_and_documented():
    assert VCSIM_IMAGE == PINNED_IMAGE  # lablib's Docker fallback and LAB_SIM_URL route
    for doc in ("README.md", "docker/go/README.md", "docker/compose.yaml"):
        assert PINNED_IMAGE in (ROOT / doc).read_text(), doc


def test_go_tools_module_pins_govmomi_v0_56_0():
    go_mod = (ROOT / "docker" / "go" / "go.mod").read_text()
    assert re.search(r"^require github.com/vmware/govmomi v0\.56\.0$", go_mod, re.M)
    assert "github.com/vmware/govmomi v0.56.0 h1:" in (ROOT / "docker/go/go.sum").read_text()


def test_built_tools_are_ignored_by_git():
    ignored = (ROOT / ".gitignore").read_text().split()
    assert ".build/" in ignored and ".venv/" in ignored and "lab.toml" in ignored
