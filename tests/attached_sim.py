"""Start the kit's vcsim the way a user does with Docker, outside lablib, and describe it.

The attached route (LAB_SIM_URL, docker/compose.yaml) runs a simulator lablib did not
start and cannot restart. The tests start one separately, as `docker compose up vcsim`
would, from the kit's binary: once as the lab simulator and once with its extension
switched off (how the public vmware/vcsim image behaves). The lab simulator gets the
course's host profile as docker/compose.yaml mounts it (`-host-profile`).
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import time
from pathlib import Path

from pyVmomi import vim

from lablib.sim.locate import find_tool
from lablib.sim.seed import COURSE_HOSTS

VARIANTS = ["lab-extension", "extension-off"]
FLAGS = {"lab-extension": ("-host-profile", str(COURSE_HOSTS)),
         "extension-off": ("-lab-extension=false",)}
START_TIMEOUT_S = 30


class AttachedSimulator:
    """A vcsim started separately: `url` (with credentials), `stop()`."""

    def __init__(self, folder: Path, variant: str):
        binary = find_tool("vcsim")
        assert binary, "the kit's vcsim is needed: run `make sim-tools`"
        folder.mkdir(parents=True, exist_ok=True)
        env_file = folder / "vcsim.env"
        env_file.write_text("")
        self.password = "fake-" + secrets.token_hex(6)
        flags = FLAGS[variant]
        self.args = [str(binary), "-dc", "0", "-l", "127.0.0.1:0", "-username", "student",
                     "-password", self.password, "-E", str(env_file), *flags]
        self.log = open(folder / "vcsim.log", "wb")
        self.proc = subprocess.Popen(self.args, stdout=self.log, stderr=self.log,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while not env_file.read_text().strip():
            assert self.proc.poll() is None, (folder / "vcsim.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "vcsim did not start"
            time.sleep(0.02)
        self.url = re.search(r"GOVC_URL=(\S+)", env_file.read_text()).group(1)

    def env(self, state_dir: Path) -> dict[str, str]:
        """Return the LAB_* variables of a student attached to this simulator."""
        return {"LAB_SIM_URL": self.url, "LAB_STATE_DIR": str(state_dir)}

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.log.close()


def signature(conn) -> dict:
    """Return what a reset must bring back: every object, field, value and file."""
    content = conn.content
    view = content.viewManager.CreateContainerView(content.rootFolder, [vim.ManagedEntity],
                                                   True)
    try:
        entities = list(view.view)
    finally:
        view.Destroy()
    names = {f.key: f.name for f in content.customFieldsManager.field or []}
    objects, values, files = [], {}, []
    for e in entities:
        objects.append((type(e).__name__, e.name, e.parent.name if e.parent else ""))
        for cv in e.customValue or []:
            if cv.value and names.get(cv.key) != "vmotionlab.baseline_boot":  # a timestamp
                values[f"{e.name}/{names.get(cv.key)}"] = cv.value
        if isinstance(e, vim.VirtualMachine):
            values[f"{e.name}/power"] = e.runtime.powerState
            values[f"{e.name}/host"] = e.runtime.host.name
        if isinstance(e, vim.HostSystem):
            values[f"{e.name}/maintenance"] = e.runtime.inMaintenanceMode
        if isinstance(e, vim.Datastore):
            spec = vim.host.DatastoreBrowser.SearchSpec(matchPattern=["*"], query=[
                vim.host.DatastoreBrowser.FolderQuery(), vim.host.DatastoreBrowser.Query()])
            task = e.browser.SearchDatastore_Task(f"[{e.name}]", spec)
            deadline = time.monotonic() + 60
            while task.info.state not in ("success", "error"):
                assert time.monotonic() < deadline, "SearchDatastore did not finish"
                time.sleep(0.05)
            files += sorted(f"[{e.name}] {f.path}" for f in task.info.result.file or [])
    return {"objects": sorted(objects), "fields": sorted(names.values()),
            "values": values, "files": sorted(files)}
