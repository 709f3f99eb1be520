"""Static checks of the class deployment: the single-user image, the Helm values, TLJH.

No Docker engine or cluster runs here, so the files are read and checked against each
other: the pinned images, the vcsim copy, the ports, the user, the labs' first-start
copy, and the per-student resources against the figures measured in BENCHMARKS.md
("Classroom"). Also the helpers the deployment runs (lablib.classroom).
"""

import json
import re
import shlex
from dataclasses import asdict
from pathlib import Path

import nbformat
import pytest
import yaml

from lablib import classroom

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
PINNED = "v0.56.0"


def dockerfile(path: Path = DOCKER / "Dockerfile") -> list[tuple[str, str]]:
    """Return a Dockerfile's instructions as (KEYWORD, arguments), continuations joined and
    runs of blanks made one space."""
    text = re.sub(r"\\\n", " ", path.read_text())
    return [(line.split(None, 1)[0].upper(), " ".join(line.split(None, 1)[1].split()))
            for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def instructions(keyword: str, path: Path = DOCKER / "Dockerfile") -> list[str]:
    return [args for key, args in dockerfile(path) if key == keyword]


def stages(path: Path = DOCKER / "Dockerfile") -> list[tuple[str, list[tuple[str, str]]]]:
    """Return a multi-stage Dockerfile as (FROM arguments, that stage's instructions)."""
    found = []
    for key, args in dockerfile(path):
        if key == "FROM":
            found.append((args, []))
        elif found:
            found[-1][1].append((key, args))
    return found


# The one way every route builds the kit's vcsim and govc (Makefile, both Dockerfiles).
GO_BUILD_FLAGS = ('-trimpath -ldflags "-s -w -X '
                  'github.com/vmware/govmomi/cli/flags.BuildVersion=v0.56.0"')
GO_BUILD_TARGETS = "./vcsim ./govc"


def env_of_image() -> dict[str, str]:
    found = {}
    for args in instructions("ENV"):
        for item in shlex.split(args):
            key, _, value = item.partition("=")
            found[key] = value
    return found


def values() -> dict:
    return yaml.safe_load((DOCKER / "jupyterhub" / "values.yaml").read_text())


def tljh_config() -> dict:
    return yaml.safe_load((DOCKER / "tljh" / "config.yaml").read_text())


def classroom_sizing() -> dict[str, str]:
    """Return BENCHMARKS.md's Classroom sizing table: setting -> value."""
    text = (ROOT / "BENCHMARKS.md").read_text(encoding="utf-8")
    section = text.split("<!-- classroom:begin -->", 1)[1].split("<!-- classroom:end -->")[0]
    table = section.split("### Sizing", 1)[1].split("###", 1)[0]
    rows = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0] in ("memory guarantee", "memory limit",
                                            "cpu guarantee", "cpu limit"):
            rows[cells[0]] = cells[1]
    return rows


def mebibytes(size) -> float:
    """Read a KubeSpawner / systemdspawner size: K, M, G, T are powers of 1024."""
    number, unit = re.fullmatch(r"([\d.]+)\s*([KMGT]?)i?", str(size)).groups()
    return float(number) * {"K": 1 / 1024, "M": 1, "G": 1024, "T": 1024 ** 2, "": 1 / 2**20}[unit]


# --- the single-user image ----------------------------------------------------------------

def test_the_image_builds_vcsim_and_govc_from_docker_go():
    (tools_from, tools), *_ = stages()
    assert tools_from == "golang:1.26 AS tools"  # the official Go image
    copied = [args for key, args in tools if key == "COPY"]
    assert copied == ["docker/go/go.mod docker/go/go.sum ./", "docker/go/ ./"]
    build = next(args for key, args in tools if key == "RUN" and "go build" in args)
    assert "CGO_ENABLED=0" in build and GO_BUILD_FLAGS in build
    assert build.endswith(f"-o /out/ {GO_BUILD_TARGETS}")
    copies = instructions("COPY")
    assert "--from=tools /out/vcsim /usr/local/bin/vcsim" in copies
    assert "--from=tools /out/govc /usr/local/bin/govc" in copies
    # No simulator comes from the public images any more (still supported via LAB_SIM_URL).
    assert not any(f.startswith("vmware/") for f in instructions("FROM"))
    env = env_of_image()
    assert env["LAB_SIM_BIN"] == "/usr/local/bin/vcsim"
    assert env["LAB_GOVC_BIN"] == "/usr/local/bin/govc"
    assert env["LAB_SIM_MODE"] == "binary"  # its own simulator: never Docker-in-Docker
    assert "LAB_SIM_URL" not in env  # nor a shared one


def test_every_image_is_pinned_and_every_copied_file_exists():
    for image in instructions("FROM"):
        name = image.split()[0]
        assert ":" in name and not name.endswith(":latest"), name
    for args in instructions("COPY"):
        parts = [p for p in args.split() if not p.startswith("--")]
        if "--from=" in args:
            continue
        for source in parts[:-1]:
            assert (ROOT / source).exists(), f"COPY {source}: not in the repository"


def test_the_image_serves_jupyter_on_8888_only_and_runs_as_uid_1000():
    assert instructions("EXPOSE") == ["8888"]
    cmd = json.loads(instructions("CMD")[-1])
    assert "--port=8888" in cmd and "--ip=0.0.0.0" in cmd
    assert instructions("USER") == ["student"]
    assert any("useradd" in r and "--uid 1000" in r and "--gid 100" in r
               for r in instructions("RUN"))
    assert any("jupyterhub>=5" in r for r in instructions("RUN")), "jupyterhub-singleuser"
    # The simulator listens on the loopback interface of the student's own container.
    runner = (ROOT / "lablib" / "sim" / "runner.py").read_text()
    assert 'f"127.0.0.1:{port}"' in runner


def test_the_entrypoint_copies_the_labs_then_starts_the_server():
    entry = json.loads(instructions("ENTRYPOINT")[-1])
    assert entry[:3] == ["tini", "-g", "--"]
    script = entry[-1]
    assert f"docker/start.sh {script}" in instructions("COPY")
    start = (DOCKER / "start.sh").read_text()
    assert "python -m lablib.classroom init-home" in start and 'exec "$@"' in start
    # The pristine labs are where lablib.classroom looks for them in the image.
    assert env_of_image()["LAB_LABS_SOURCE"] == str(classroom.IMAGE_LABS)
    workdir = instructions("WORKDIR")
    assert "/opt/vmotion-lab" in workdir
    assert "labs/en ./labs/en" in instructions("COPY")
    assert "labs/fr ./labs/fr" in instructions("COPY")


def test_the_build_context_keeps_what_the_image_copies():
    ignore = (DOCKER / "Dockerfile.dockerignore").read_text().split()
    kept = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    for args in instructions("COPY"):
        if "--from=" in args:
            continue
        source = args.split()[0]
        assert any(source == k or source.startswith(k + "/") for k in kept), source


def test_compose_still_builds_this_dockerfile():
    compose = yaml.safe_load((DOCKER / "compose.yaml").read_text())["services"]
    assert compose["jupyterlab"]["build"] == {"context": "..",
                                              "dockerfile": "docker/Dockerfile"}


# --- Zero to JupyterHub -------------------------------------------------------------------

def test_the_helm_values_use_a_pinned_image_as_its_user():
    single = values()["singleuser"]
    tag = str(single["image"]["tag"])
    assert tag and tag != "latest"
    assert single["uid"] == 1000 and single["fsGid"] == 100
    assert single["storage"]["homeMountPath"] == "/home/student"
    assert "LAB_SIM_URL" not in single.get("extraEnv", {})  # one simulator per student


def test_the_helm_values_match_the_measured_footprint():
    sizing = classroom_sizing()
    single = values()["singleuser"]
    assert mebibytes(single["memory"]["guarantee"]) == mebibytes(sizing["memory guarantee"])
    assert mebibytes(single["memory"]["limit"]) == mebibytes(sizing["memory limit"])
    assert float(single["cpu"]["guarantee"]) == float(sizing["cpu guarantee"])
    assert float(single["cpu"]["limit"]) == float(sizing["cpu limit"])
    assert mebibytes(single["memory"]["guarantee"]) < mebibytes(single["memory"]["limit"])


def test_the_helm_values_cull_idle_servers_copy_the_labs_and_block_egress():
    config = values()
    assert config["cull"]["enabled"] is True and config["cull"]["timeout"] > 0
    single = config["singleuser"]
    hook = single["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert hook == ["python", "-m", "lablib.classroom", "init-home"]
    policy = single["networkPolicy"]
    assert policy["enabled"] is True
    rules = policy["egressAllowRules"]
    assert rules["nonPrivateIPs"] is False and rules["privateIPs"] is False
    assert rules["cloudMetadataServer"] is False


# --- The Littlest JupyterHub --------------------------------------------------------------

def test_tljh_limits_match_the_measured_footprint():
    sizing = classroom_sizing()
    limits = tljh_config()["limits"]
    assert mebibytes(limits["memory"]) == mebibytes(sizing["memory limit"])
    assert float(limits["cpu"]) == float(sizing["cpu limit"])
    script = (DOCKER / "tljh" / "install.sh").read_text()
    assert f"MEMORY_LIMIT={limits['memory']}" in script
    assert f"CPU_LIMIT={limits['cpu']}" in script
    cull = tljh_config()["services"]["cull"]
    assert f"CULL_TIMEOUT={cull['timeout']}" in script


def test_tljh_points_the_servers_at_the_installed_binaries_and_labs():
    script = (DOCKER / "tljh" / "install.sh").read_text()
    hub = (DOCKER / "tljh" / "vmotion_lab_config.py").read_text()
    labs = re.search(r"^LABS=\$USER_ENV(\S+)", script, re.M).group(1)
    assert f'"LAB_LABS_SOURCE": "/opt/tljh/user{labs}"' in hub
    assert '"LAB_SIM_BIN": "/usr/local/bin/vcsim"' in hub
    assert 'make -C "$KIT" sim-tools' in script
    # Without Go: the lab simulator image built from docker/go, never the public one.
    assert 'docker build -q -t vmotion-lab-vcsim:0.1.0 "$KIT/docker/go"' in script
    assert 'docker cp "$box:/$tool" "/usr/local/bin/$tool"' in script
    assert "vmware/" not in script
    assert "/etc/skel/labs" in script


def test_the_tljh_capacity_quoted_is_the_measured_one():
    text = (ROOT / "BENCHMARKS.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) cores / (\d+) GiB \|.*\| \*\*(\d+)\*\* \|", text, re.M)
    quoted = (DOCKER / "tljh" / "config.yaml").read_text()
    for cores, gib, students in rows:
        assert f"{students} on {cores} cores / {gib} GiB" in quoted


# --- lablib.classroom: the first-start copy and the class results -------------------------

def test_install_labs_copies_what_is_missing_and_never_overwrites(tmp_path):
    source, home = tmp_path / "image-labs", tmp_path / "home" / "labs"
    for name in ("en/05_migrate.ipynb", "en/solutions/05_migrate.ipynb", "README.md",
                 "src/05_migrate.py", "conftest.py", "en/.ipynb_checkpoints/x.ipynb"):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(f"pristine {name}")
    copied = classroom.install_labs(source, home)
    assert sorted(p.relative_to(home).as_posix() for p in copied) == [
        "README.md", "en/05_migrate.ipynb", "en/solutions/05_migrate.ipynb"]
    (home / "en" / "05_migrate.ipynb").write_text("the student's work")
    (home / "README.md").unlink()
    assert [p.name for p in classroom.install_labs(source, home)] == ["README.md"]
    assert (home / "en" / "05_migrate.ipynb").read_text() == "the student's work"


def lab_notebook(path: Path, outputs: dict[str, str], lab="00") -> Path:
    cells = [nbformat.v4.new_code_cell("import lablib")]
    for exercise, line in outputs.items():
        cell = nbformat.v4.new_code_cell(f'# NBVAL_CHECK_OUTPUT\ncheck("{exercise}", x)')
        cell.outputs = [nbformat.v4.new_output("execute_result",
                                               {"text/plain": line}, execution_count=1)]
        cells.append(cell)
    nb = nbformat.v4.new_notebook(cells=cells,
                                  metadata={"lablib": {"lab": lab, "lang": "en"}})
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def test_collect_reads_each_students_verdicts_without_running_anything(tmp_path):
    alice = lab_notebook(tmp_path / "home" / "jupyter-alice" / "labs" / "en" / "00_setup.ipynb",
                         {"00.1": "✔ 00.1 done", "00.2": "✘ 00.2 vm-local is not there"})
    bob = lab_notebook(tmp_path / "home" / "jupyter-bob" / "labs" / "en" / "00_setup.ipynb",
                       {"00.1": "○ 00.1 not done yet: ..."})
    broken = tmp_path / "home" / "carol" / "labs" / "en" / "00_setup.ipynb"
    broken.parent.mkdir(parents=True)
    broken.write_text("{not a notebook")
    results = {r.student: r for r in classroom.collect([tmp_path / "home"])}
    assert results["alice"].verdicts == {"00.1": "done", "00.2": "wrong",
                                     "00.3": "not reached"}
    assert results["alice"].passed == 1 and results["alice"].notebook == str(alice)
    assert results["bob"].verdicts == {"00.1": "not done", "00.2": "not reached",
                                   "00.3": "not reached"}
    assert bob.exists() and results["carol"].problem  # reported, not fatal
    table = str(classroom.class_table(list(results.values())))
    assert "alice" in table and "1/3" in table and "00.2 wrong" in table

    # Per-student JSON lines (e.g. gathered with kubectl exec) are collected the same way.
    lines = tmp_path / "lab00.jsonl"
    lines.write_text(json.dumps(asdict(results["alice"])) + "\n")
    again = classroom.collect([lines])
    assert again[0].verdicts == results["alice"].verdicts
    out = tmp_path / "class.csv"
    classroom.write_csv(list(results.values()), out)
    assert "alice,00,en,00.2,wrong" in out.read_text()


@pytest.mark.parametrize("size, mib", [("512M", 512), ("1G", 1024), ("1.5G", 1536),
                                       ("256Mi", 256)])
def test_sizes_are_read_in_binary_units(size, mib):
    assert mebibytes(size) == mib
