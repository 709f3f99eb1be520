"""Terminals that work: what lab 00 tells a student to type, in a JupyterLab terminal.

`make lab` runs `python -m lablib lab`, which starts JupyterLab with the kit's folders
(.venv/bin, .build/bin) first on the PATH of its kernels and terminals. The test starts it
the same way, headless, from a shell whose PATH has neither folder, opens a terminal
through the Jupyter server's REST API and terminado websocket, and types the lab 00
commands: `python -m lablib check ...` and `eval "$(python -m lablib sim env)"` followed by
the labs' govc commands.
"""

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import websocket

from lablib.classroom import descendants
from lablib.sim.locate import BUILD_BIN

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
BARE_PATH = "/usr/local/bin:/usr/bin:/bin"  # a login shell's PATH: no kit folder on it
COMMAND_TIMEOUT_S = 300  # bounds, not measures: the machine is shared


def bare_env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PATH"}
    env.update({"PATH": BARE_PATH, **extra})
    return env


def test_sim_env_lets_the_labs_govc_commands_run_as_written():
    script = ('eval "$(python -m lablib sim env)" && govc vm.info vm-local && '
              'govc host.vnic.info -host ESXi_1 && govc ls /Datacenter/host/Cluster')
    done = subprocess.run(["bash", "-c", script], cwd=ROOT, capture_output=True, text=True,
                          env=bare_env(PATH=f"{VENV_BIN}:{BARE_PATH}"), timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Name:" in done.stdout and "vm-local" in done.stdout
    assert "/Datacenter/host/Cluster/ESXi_1" in done.stdout  # host.vnic.info: empty on
    # a vcsim without the lab extension (vMotion service of vmknics), still status 0


def test_sim_env_exports_what_govc_needs():
    done = subprocess.run([sys.executable, "-m", "lablib", "sim", "env"], cwd=ROOT,
                          capture_output=True, text=True, env=bare_env(), timeout=120)
    assert done.returncode == 0, done.stderr
    names = re.findall(r"^export (\w+)=", done.stdout, re.M)
    assert {"GOVC_URL", "GOVC_INSECURE", "GOVC_DATACENTER", "PATH"} <= set(names)
    path_line = next(line for line in done.stdout.splitlines() if "export PATH=" in line)
    assert str(BUILD_BIN) in path_line and path_line.endswith(':"$PATH"')


def test_the_lablib_console_script_runs_the_command_line():
    script = VENV_BIN / "lablib"
    assert script.is_file(), "no `lablib` command: pyproject [project.scripts], make install"
    done = subprocess.run([str(script), "sim", "status"], cwd=ROOT, capture_output=True,
                          text=True, env=bare_env(), timeout=60)
    assert done.returncode in (0, 3) and "simulator" in done.stdout, done.stdout + done.stderr
    shown = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0 and "usage: lablib" in shown.stdout


def test_make_lab_starts_jupyterlab_through_lablib_lab():
    recipe = re.search(r"^lab:.*?(?=^\S)", (ROOT / "Makefile").read_text(), re.M | re.S)
    assert recipe and "-m lablib lab" in recipe.group(0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_tree(proc: subprocess.Popen, grace: float = 10) -> None:
    """End the server and what it started (kernels, terminals run in their own sessions)."""
    tree = [proc.pid, *descendants(proc.pid)]
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in tree:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(grace)


class Terminal:
    """A terminal of a Jupyter server, driven through its terminado websocket."""

    def __init__(self, base: str, token: str, cwd: str = ""):
        # JupyterLab's launcher opens a terminal in the file browser's folder.
        request = urllib.request.Request(f"{base}/api/terminals", method="POST",
                                         data=json.dumps({"cwd": cwd}).encode(),
                                         headers={"Authorization": f"token {token}",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            self.name = json.load(answer)["name"]
        ws_base = base.replace("http://", "ws://")
        self.ws = websocket.create_connection(
            f"{ws_base}/terminals/websocket/{self.name}?token={token}", timeout=60)
        self.output = ""

    def run(self, command: str, timeout: float = COMMAND_TIMEOUT_S) -> tuple[int, str]:
        """Type `command`; return its exit status and what the terminal showed meanwhile."""
        marker = secrets.token_hex(4)
        start = len(self.output)
        self.ws.send(json.dumps(["stdin", f"{command}; echo \"::{marker}=$?\"\r"]))
        deadline = time.monotonic() + timeout
        pattern = re.compile(rf"::{marker}=(\d+)")
        while not pattern.search(self.output, start):
            assert time.monotonic() < deadline, f"no answer to {command!r}:\n{self.output}"
            self.ws.settimeout(max(1.0, deadline - time.monotonic()))
            kind, *data = json.loads(self.ws.recv())
            if kind == "stdout":
                self.output += data[0]
        found = pattern.search(self.output, start)
        return int(found.group(1)), self.output[start:found.start()]

    def close(self) -> None:
        self.ws.close()


@pytest.fixture
def jupyterlab(tmp_path):
    """`python -m lablib lab` (what `make lab` runs), headless, from a bare PATH."""
    port, token = free_port(), secrets.token_hex(16)
    home = tmp_path / "jupyter"
    env = bare_env(PYTHONUNBUFFERED="1")
    for name, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                      ("JUPYTERLAB_SETTINGS_DIR", "settings"),
                      ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"), ("IPYTHONDIR", "ipython")):
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[name] = str(home / sub)
    log = tmp_path / "jupyterlab.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "lablib", "lab", "--no-browser", "--ip=127.0.0.1",
             f"--port={port}", "--ServerApp.port_retries=0",
             f"--IdentityProvider.token={token}", "--LabApp.news_url=None",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    try:
        while True:
            assert proc.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5).close()
                break
            except OSError:
                time.sleep(0.3)
        yield base, token, log
    finally:
        stop_tree(proc)


def test_a_jupyterlab_terminal_runs_the_lab_00_commands(jupyterlab):
    base, token, log = jupyterlab
    if os.geteuid() == 0:  # said once, not a refusal
        assert log.read_text().count("running as root: JupyterLab is started with "
                                     "--allow-root") == 1
    terminal = Terminal(base, token, cwd="en")  # the student browses labs/en
    try:
        status, shown = terminal.run("pwd")
        assert shown.strip().endswith("labs/en"), shown
        status, shown = terminal.run("command -v python govc")
        assert status == 0 and str(VENV_BIN / "python") in shown and \
            str(BUILD_BIN / "govc") in shown, shown

        status, shown = terminal.run("python -m lablib check labs/en/solutions/00_setup.ipynb")
        assert status == 0 and "3 of 3 exercises pass." in shown, shown
        status, shown = terminal.run("python -m lablib check labs/fr/05_migrate.ipynb")
        assert status == 1 and "exercice(s) réussi(s)" in shown, shown  # not done yet

        status, shown = terminal.run('eval "$(python -m lablib sim env)"; govc vm.info vm-local')
        assert status == 0 and "vm-local" in shown and "Name:" in shown, shown
        status, shown = terminal.run("govc host.vnic.info -host ESXi_1")
        assert status == 0, shown
        status, shown = terminal.run("lablib sim status")
        assert status == 0 and "The simulator runs at" in shown, shown
    finally:
        terminal.close()
