"""Run a throwaway JupyterLab and a headless Debian Chromium for the browser tests.

JupyterLab runs from this virtualenv on a free port with a random token, its own
settings, workspaces and runtime folders (nothing of the developer's is read or
written), no news or update checks (the machines have no internet). It inherits the
test session's LAB_STATE_DIR and LAB_CONFIG, so its kernels reach the session's
simulator. `stop()` ends the whole process tree, kernels included: jupyter_client
starts kernels in their own session, so killing the server's group is not enough.

Chromium is Debian's (`apt-get install chromium`), driven by Playwright's Python
package; Playwright never downloads a browser here.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from lablib.classroom import descendants

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
INSTALL_HINT = (
    "The browser test needs Debian's Chromium and Playwright's Python package "
    "(no browser download):\n"
    "  apt-get install -y chromium        # provides /usr/bin/chromium\n"
    "  .venv/bin/pip install playwright   # the driver only; never `playwright install`")


def missing_tools() -> str:
    """Return what is missing to run the browser test, or "" when all is there."""
    problems = []
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        problems.append(f"no Chromium at {CHROMIUM}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("the Python package 'playwright' is not installed")
    return "; ".join(problems)


@contextlib.contextmanager
def serving(notebook: Path, tmp_path: Path, log_path: Path) -> Iterator[JupyterLab]:
    """Run JupyterLab on a copy of `notebook` in `tmp_path`; fail the test if tools lack."""
    problem = missing_tools()
    if problem:
        pytest.fail(f"Cannot run the browser test: {problem}.\n{INSTALL_HINT}", pytrace=False)
    root = tmp_path / "notebooks"
    root.mkdir()
    shutil.copy(notebook, root / notebook.name)
    server = JupyterLab(root, log_path).start()
    try:
        yield server
    finally:
        server.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class JupyterLab:
    """A JupyterLab server on `root`, started by start() and ended by stop()."""

    def __init__(self, root: Path, log_path: Path):
        self.root = root
        self.log_path = log_path
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.process: subprocess.Popen | None = None
        self._ready = threading.Event()
        self._log = None

    def url(self, path: str = "lab") -> str:
        return f"http://127.0.0.1:{self.port}/{path}?token={self.token}"

    def start(self, timeout: float = 180) -> JupyterLab:
        """Start the server; return once it says it is running (or raise)."""
        home = self.root.parent / "jupyter-home"
        env = dict(os.environ)
        for name, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                          ("JUPYTERLAB_SETTINGS_DIR", "settings"),
                          ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"), ("IPYTHONDIR", "ipython")):
            (home / sub).mkdir(parents=True, exist_ok=True)
            env[name] = str(home / sub)
        env["PYTHONUNBUFFERED"] = "1"
        # The kernel imports the lablib of this checkout, the one under test.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        # No "Would you like to get notified about official Jupyter news?" toast over
        # the page (the announcements plugin asks even when news_url is None).
        notification = home / "settings" / "@jupyterlab" / "apputils-extension"
        notification.mkdir(parents=True, exist_ok=True)
        (notification / "notification.jupyterlab-settings").write_text(
            '{"fetchNews": "false", "checkForUpdates": false}')
        # Every cell rendered, not only those in view: the tests read all outputs.
        tracker = home / "settings" / "@jupyterlab" / "notebook-extension"
        tracker.mkdir(parents=True, exist_ok=True)
        (tracker / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
        command = [
            sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
            f"--port={self.port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
            "--allow-root",   # CI runs as root
            "--LabApp.news_url=None", "--LabApp.extension_manager=readonly",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115 (closed by stop())
        self.process = subprocess.Popen(command, cwd=self.root, env=env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()
        ready = self._ready.wait(timeout)
        code = self.process.poll()
        if not ready or code is not None:
            self.stop()
            what = f"exited with code {code}" if code is not None else \
                f"did not start within {timeout:g} s"
            raise RuntimeError(f"JupyterLab {what}; its log, {self.log_path}, ends with:\n"
                               f"{self.log_path.read_text()[-3000:]}")
        return self

    def _read(self) -> None:
        """Copy the server's output to the log; flag readiness when it gives its URL."""
        for line in self.process.stdout:
            self._log.write(line)
            self._log.flush()
            if f":{self.port}/" in line and "token=" in line:
                self._ready.set()
        self._ready.set()   # the server exited: start() sees poll() is not None

    def stop(self, grace: float = 10) -> None:
        """End the server and every process it started (kernels), then close the log."""
        if self.process is None:
            return
        tree = [self.process.pid, *descendants(self.process.pid)]
        _signal(tree, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(grace)
        _signal([pid for pid in tree if _alive(pid)], signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(grace)
        if self._log:
            self._log.close()
        self.process = None


def _signal(pids, sig) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def launch_chromium(playwright, user_data_dir: Path):
    """Return a persistent headless context of Debian's Chromium, with a fresh profile."""
    shutil.rmtree(user_data_dir, ignore_errors=True)
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
        viewport={"width": 1400, "height": 2600})   # the whole wizard at once


#: A cell's error output, as JupyterLab renders it.
STDERR = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"


def run_all_cells(page, expect, notebook: str, timeout_ms: int) -> None:
    """Wait for the kernel, then Run > Run All Cells, until every code cell has run.

    Run All goes past a cell tagged `raises-exception` and stops at any other error:
    the cells after it go back to "[ ]:". Returns once every code cell shows "[n]:" or
    a visible error output appeared (lablib's own refusals hide theirs under the box).
    """
    status = page.get_by_title(f"Change kernel for {notebook}")
    expect(status).to_contain_text(re.compile(r"ipykernel.*\| Idle"))
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
    page.wait_for_function(f"""() => {{
        const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
            .map(prompt => prompt.textContent);
        const shown = node => getComputedStyle(node.closest('.jp-OutputArea-child') || node)
            .display !== 'none';
        const visibleError = [...document.querySelectorAll({STDERR!r})].some(shown);
        return visibleError || (prompts.length > 0 &&
                                prompts.every(text => /\\[\\d+\\]/.test(text)));
    }}""", timeout=timeout_ms)


_SHOWN = """node => getComputedStyle(node.closest('.jp-OutputArea-child') || node).display
    !== 'none'"""
_TEXT = """node => { const copy = node.cloneNode(true);
    copy.querySelectorAll('style, script').forEach(s => s.remove());
    return copy.textContent; }"""


def visible_errors(page) -> list[str]:
    """Return the text of the error outputs a student sees (hidden ones left out)."""
    return page.evaluate(f"""() => [...document.querySelectorAll({STDERR!r})]
        .filter({_SHOWN}).map({_TEXT})""")


def outputs_text(page) -> str:
    """Return the text of every output a student sees (style sheets left out)."""
    return page.evaluate(f"""() => [...document.querySelectorAll('.jp-OutputArea-output')]
        .filter({_SHOWN}).map({_TEXT}).join('\\n')""")
