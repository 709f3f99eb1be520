"""A class on one machine: every student has their own simulator, and nobody else's.

Two students (two processes with their own HOME, as on a class server) run lab 05 at
the same time through the public Lab API; each passes, neither sees the other's changes,
and a reset by one leaves the other's lab as it was. Then what another user of the machine
can see (run as `nobody` when the tests run as root), and the Docker route without a
password on any command line (a stand-in `docker` runs the vcsim binary).
"""

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import asdict
from pathlib import Path

import pytest
from pyVim.connect import SmartConnect
from pyVmomi import vim

import lablib
from lablib import sim
from lablib.classroom import LabState
from lablib.config import Roles, load
from lablib.errors import SimulatorError
from lablib.sim import runner, state

ROOT = Path(__file__).resolve().parents[2]
ANSWER_TIMEOUT_S = 240  # generous: the machine is shared; no timing is asserted

# One student: reads commands on stdin, answers one JSON line each.
STUDENT = textwrap.dedent("""
    import json, sys
    from dataclasses import asdict
    import lablib
    from lablib import sim
    from lablib.classroom import LabState, run_lab05
    from lablib.config import load

    lab = None
    for command in sys.stdin:
        command = command.strip()
        try:
            if command == "connect":
                lab = lablib.connect()
                st = lab.sim_state
                answer = {"url": st.public_url(), "port": st.port, "pid": st.pid,
                          "state_dir": str(load().state_dir)}
            elif command == "lab05":
                result = run_lab05(lab)
                answer = {"kind": result.kind, "state": asdict(LabState.read(lab))}
            elif command == "state":
                answer = {"state": asdict(LabState.read(lab)), "pid": lab.sim_state.pid}
            elif command == "reset":
                lab.reset()
                answer = {"state": asdict(LabState.read(lab)), "pid": lab.sim_state.pid}
            elif command == "stop":
                answer = {"stopped": sim.stop(load())}
            else:
                answer = {"error": f"unknown command {command}"}
        except Exception as exc:
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(answer), flush=True)
""")


class Student:
    """A student's process, with their own home (no LAB_STATE_DIR: the default applies)."""

    def __init__(self, home: Path):
        self.home = home
        home.mkdir()
        (home / "lab.toml").write_text("")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("LAB_") and k not in ("XDG_STATE_HOME",)}
        env.update(HOME=str(home), LAB_CONFIG=str(home / "lab.toml"),
                   PYTHONPATH=str(ROOT))
        self.env = env
        self.proc = subprocess.Popen([sys.executable, "-c", STUDENT], cwd=home, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True)

    @property
    def state_dir(self) -> Path:
        return self.home / ".local" / "state" / "vmotion-lab"

    def send(self, command: str) -> None:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def answer(self) -> dict:
        ready, _, _ = select.select([self.proc.stdout], [], [], ANSWER_TIMEOUT_S)
        assert ready, f"{self.home.name} did not answer"
        reply = json.loads(self.proc.stdout.readline())
        assert "error" not in reply, f"{self.home.name}: {reply['error']}"
        return reply

    def ask(self, command: str) -> dict:
        self.send(command)
        return self.answer()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(30)
        # Whatever happened, leave no simulator behind.
        subprocess.run([sys.executable, "-m", "lablib", "sim", "stop"], env=self.env,
                       cwd=ROOT, capture_output=True, timeout=60)


def at_once(students, command: str) -> list[dict]:
    """Send `command` to every student, then collect the answers: they run concurrently."""
    for student in students:
        student.send(command)
    return [student.answer() for student in students]


@pytest.fixture
def class_of_two(tmp_path):
    students = [Student(tmp_path / "alice"), Student(tmp_path / "bob")]
    yield students
    for student in students:
        student.close()


def private(path: Path) -> bool:
    return path.stat().st_mode & 0o077 == 0


def test_two_students_run_lab05_at_once_and_never_see_each_other(class_of_two):
    alice, bob = class_of_two
    roles = Roles()
    initial = asdict(LabState.initial(roles))
    done = asdict(LabState.after_lab05(roles))

    # Both open the lab at the same moment: each gets their own simulator.
    a, b = at_once(class_of_two, "connect")
    assert a["port"] != b["port"] and a["pid"] != b["pid"]
    for student, info in ((alice, a), (bob, b)):
        assert Path(info["state_dir"]) == student.state_dir  # under their own home
        assert runner.our_pids(student.state_dir) == [info["pid"]]
        files = list(student.state_dir.iterdir())
        assert private(student.state_dir) and all(private(p) for p in files), \
            "state, password, GOVC_URL and log files must be readable by the student only"
        # vcsim keeps its datastore files in the student's state directory, not in /tmp.
        datastores = list((student.state_dir / "vcsim-tmp").glob("govcsim-*"))
        assert len(datastores) == 1 and private(datastores[0])

    # Both run lab 05 at the same time: both pass.
    for reply in at_once(class_of_two, "lab05"):
        assert reply["kind"] == "compute" and reply["state"] == done

    # Alice resets while Bob looks at his lab: only Alice's lab is back to the start.
    alice.send("reset")
    bob.send("state")
    a, b = alice.answer(), bob.answer()
    assert a["state"] == initial
    assert b["state"] == done and b["pid"] == runner.our_pids(bob.state_dir)[0]

    # Alice does the lab again alone; Bob resets: each sees only their own changes.
    assert alice.ask("lab05")["state"] == done
    assert bob.ask("reset")["state"] == initial
    assert alice.ask("state")["state"] == done

    # The command line of each student names their own simulator only.
    for student in class_of_two:
        shown = subprocess.run([sys.executable, "-m", "lablib", "sim", "status"],
                               env=student.env, cwd=ROOT, capture_output=True, text=True,
                               timeout=60)
        port = student.ask("connect")["port"]
        assert f"127.0.0.1:{port}/sdk" in shown.stdout


def test_the_password_is_on_no_command_line_and_required_to_log_in(tmp_path):
    cfg = load(None, env={"LAB_STATE_DIR": str(tmp_path / "state"),
                          "LAB_CONFIG": str(tmp_path / "none.toml")})
    st, _ = sim.start(cfg)
    try:
        password = st.url.split("://", 1)[1].rsplit("@", 1)[0].split(":", 1)[1]
        cmdline = Path(f"/proc/{st.pid}/cmdline").read_bytes().decode()
        assert password not in cmdline  # every user of the machine can read this
        assert str(cfg.state_dir / "vcsim.secret") in cmdline
        # The port is on the shared loopback: without the password nobody gets in.
        with pytest.raises(vim.fault.InvalidLogin):
            SmartConnect(host="127.0.0.1", port=st.port, user="lab", pwd="guess",
                         disableSslCertValidation=True)
    finally:
        sim.stop(cfg)
    assert not list((cfg.state_dir / "vcsim-tmp").glob("govcsim-*")), \
        "a stopped simulator leaves no datastore folder behind"


def test_a_killed_simulators_datastore_folder_is_cleaned_at_the_next_start(tmp_path):
    cfg = load(None, env={"LAB_STATE_DIR": str(tmp_path / "state"),
                          "LAB_CONFIG": str(tmp_path / "none.toml")})
    first, _ = sim.start(cfg)
    os.kill(first.pid, signal.SIGKILL)
    os.waitpid(first.pid, 0)  # this process started it: wait until it is gone
    left = list((cfg.state_dir / "vcsim-tmp").glob("govcsim-*"))
    assert len(left) == 1
    try:
        second = sim.ensure_running(cfg)
        assert second.pid != first.pid
        now = list((cfg.state_dir / "vcsim-tmp").glob("govcsim-*"))
        assert len(now) == 1 and now != left
    finally:
        sim.stop(cfg)


def test_a_state_directory_of_another_user_is_refused(tmp_path, monkeypatch):
    (tmp_path / "theirs").mkdir()
    monkeypatch.setattr(os, "getuid", lambda: os.stat(tmp_path).st_uid + 1)
    with pytest.raises(SimulatorError, match=r"belongs to another user.*LAB_STATE_DIR"):
        state.ensure_dir(tmp_path / "theirs")


def as_nobody(function) -> str:
    """Run `function` in a forked child as user nobody; return what it returns (text)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        os.close(read)
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            text = function()
        except BaseException as exc:
            text = f"crash: {type(exc).__name__}: {exc}"
        os.write(write, text.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        text = pipe.read()
    os.waitpid(pid, 0)
    return text


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as another user")
def test_another_user_of_the_machine_can_neither_read_nor_stop_a_students_lab():
    shared = Path(tempfile.mkdtemp(prefix="vmotion-lab-class-"))
    shared.chmod(0o755)  # like /home: others may traverse it
    cfg = load(None, env={"LAB_STATE_DIR": str(shared / "alice"),
                          "LAB_CONFIG": str(shared / "none.toml")})
    st, _ = sim.start(cfg)
    decoy = None
    try:
        def snoop() -> str:
            seen = []
            for name in ("sim.json", "vcsim.secret", "vcsim.env", "vcsim.log"):
                try:
                    (cfg.state_dir / name).read_text()
                    seen.append(f"read {name}")
                except PermissionError:
                    pass
            try:
                sim.stop(cfg)
                seen.append("stopped it")
            except SimulatorError as error:
                if "belongs to another user" not in str(error):
                    seen.append(f"unexpected: {error}")
            return "; ".join(seen) or "nothing"

        assert as_nobody(snoop) == "nothing"
        assert runner.our_pids(cfg.state_dir) == [st.pid]

        # A process of another user whose command line names this lab is not ours:
        # stopping the lab neither counts it nor tries to kill it.
        decoy = subprocess.Popen(
            ["/bin/sh", "-c", "sleep 60; :", str(cfg.state_dir / "vcsim.env")],
            user=65534, group=65534, extra_groups=[])
        assert runner.our_pids(cfg.state_dir) == [st.pid]
        assert sim.stop(cfg) is True
        assert decoy.poll() is None
    finally:
        sim.stop(cfg)
        if decoy is not None:
            decoy.kill()
            decoy.wait()
        subprocess.run(["rm", "-rf", str(shared)])


# A stand-in for the docker client: create / cp / start / inspect / rm / info, running the
# vcsim binary as the "container", and logging every command line it was given.
FAKE_DOCKER = textwrap.dedent("""\
    #!{python}
    import json, os, signal, subprocess, sys, tarfile, uuid
    from pathlib import Path
    home = Path(os.environ["FAKE_DOCKER_DIR"])
    with open(home / "argv.log", "a") as log:
        log.write(json.dumps(sys.argv[1:]) + "\\n")
    args = sys.argv[1:]
    if args[0] == "info":
        print("28.2.2"); sys.exit(0)
    if args[0] == "create":
        port = args[args.index("-p") + 1].split(":")[1]
        image = args.index("{image}")
        box = uuid.uuid4().hex
        (home / box / "tmp").mkdir(parents=True)
        (home / box / "spec.json").write_text(json.dumps({{"port": port,
                                                           "args": args[image + 1:]}}))
        print(box); sys.exit(0)
    if args[0] == "cp":
        box, folder = args[2].split(":")
        with tarfile.open(fileobj=sys.stdin.buffer, mode="r|") as tar:
            for member in tar:
                (home / box / "modes.txt").write_text(f"{{member.name}} {{member.mode:o}}")
                tar.extract(member, home / box / folder.lstrip("/"), filter="data")
        sys.exit(0)
    if args[0] == "start":
        box = args[1]
        spec = json.loads((home / box / "spec.json").read_text())
        flags = spec["args"]
        flags[flags.index("-l") + 1] = "127.0.0.1:" + spec["port"]
        secret = flags.index("-password") + 1
        flags[secret] = str(home / box / flags[secret].lstrip("/"))
        proc = subprocess.Popen([{vcsim!r}, *flags], start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        (home / box / "pid").write_text(str(proc.pid))
        sys.exit(0)
    if args[0] == "inspect":
        pid = home / args[-1] / "pid"
        alive = pid.exists() and Path("/proc/" + pid.read_text()).exists()
        print("true" if alive else "false"); sys.exit(0)
    if args[0] == "rm":
        pid = home / args[-1] / "pid"
        if pid.exists():
            try:
                os.kill(int(pid.read_text()), signal.SIGTERM)
            except ProcessLookupError:
                pass
            pid.unlink()
        sys.exit(0)
    sys.exit(f"fake docker: {{args}} is not supported")
""")


def test_the_docker_route_gives_the_password_on_no_command_line(tmp_path, monkeypatch):
    vcsim = sim.locate.find_tool("vcsim")
    bin_dir, home = tmp_path / "bin", tmp_path / "docker"
    bin_dir.mkdir()
    home.mkdir()
    docker = bin_dir / "docker"
    docker.write_text(FAKE_DOCKER.format(python=sys.executable, image=runner.VCSIM_IMAGE,
                                         vcsim=str(vcsim)))
    docker.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_DOCKER_DIR", str(home))
    cfg = load(None, env={"LAB_STATE_DIR": str(tmp_path / "state"), "LAB_SIM_MODE": "docker",
                          "LAB_CONFIG": str(tmp_path / "none.toml")})
    st, started = sim.start(cfg)
    try:
        assert started and st.mode == "docker"
        lab = lablib.connect(cfg)
        assert lab.placement("vm-shared").host == "ESXi_1"
        lab.close()
        password = st.url.split("://", 1)[1].rsplit("@", 1)[0].split(":", 1)[1]
        logged = (home / "argv.log").read_text()
        assert "create" in logged and password not in logged
        box = home / st.container
        assert (box / "modes.txt").read_text() == "vcsim.secret 444"
        pid = int((box / "pid").read_text())
        assert password not in Path(f"/proc/{pid}/cmdline").read_bytes().decode()
    finally:
        sim.stop(cfg)
    assert '"rm", "-f"' in (home / "argv.log").read_text()


# --- A class on one real vCenter: each student's scope from the environment ---------------

def student_vms_in_their_own_folder_and_pool(lab, students):
    """What an instructor prepares: per student a VM folder, a resource pool and a VM."""
    from pyVmomi import vim

    from lablib.tasks import wait

    dc = lab.find("datacenter", "Datacenter")
    top = dc.vmFolder.CreateFolder("Students")

    def allocation():
        return vim.ResourceAllocationInfo(reservation=0, limit=-1, expandableReservation=True,
                                          shares=vim.SharesInfo(level="normal", shares=0))
    for name in students:
        folder = top.CreateFolder(name)
        pool = lab.cluster().resourcePool.CreateResourcePool(
            name, vim.ResourceConfigSpec(cpuAllocation=allocation(),
                                         memoryAllocation=allocation()))
        spec = vim.vm.ConfigSpec(name=f"vm-shared-{name}", numCPUs=1, memoryMB=512,
                                 guestId="otherGuest64", files=vim.vm.FileInfo(
                                     vmPathName="[SharedDS]"))
        wait(lab.conn, folder.CreateVM_Task(config=spec, pool=pool,
                                            host=lab.host("ESXi_1")))
        lab.power_on(f"vm-shared-{name}")


def test_on_one_vcenter_each_student_moves_only_their_own_vms(tmp_path, monkeypatch):
    """The README's recipe: LAB_SCOPE_* and LAB_ROLE_VM per student, hosts prepared once."""
    import warnings

    from lablib.errors import OutOfScope
    from lablib.lab import Lab
    from lablib.session import Session

    cfg = load(None, env={"LAB_STATE_DIR": str(tmp_path / "state"),
                          "LAB_CONFIG": str(tmp_path / "none.toml")})
    admin = lablib.connect(cfg, reset=True)
    try:
        # The instructor's part: vMotion on vmk0 of both hosts and EVC, once for the class.
        for host in ("ESXi_1", "ESXi_2"):
            admin.enable_vmotion(host)
        for vm in ("vm-shared", "vm-local"):
            admin.power_off(vm)
        admin.configure_evc("intel-cascadelake")
        student_vms_in_their_own_folder_and_pool(admin, ["alice", "bob"])

        def student_lab(name: str) -> Lab:
            # What singleuser.extraEnv gives each pod ({username} filled in by KubeSpawner).
            env = {"LAB_BACKEND": "vcenter", "LAB_HOST": "127.0.0.1",
                   "LAB_PORT": str(admin.sim_state.port), "LAB_USER": "lab",
                   "LAB_VERIFY_TLS": "false", "LAB_CONFIG": str(tmp_path / "none.toml"),
                   "LAB_SCOPE_FOLDER": f"/Datacenter/vm/Students/{name}",
                   "LAB_SCOPE_RESOURCE_POOL": f"Cluster/Resources/{name}",
                   "LAB_ROLE_VM": f"vm-shared-{name}"}
            config = load(None, env=env)
            monkeypatch.setenv("LAB_PASSWORD", admin.conn.target.password)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return Lab(Session(config))

        alice, bob = student_lab("alice"), student_lab("bob")
        moved = alice.migrate(alice.roles.vm, host=alice.roles.destination_host)
        assert (moved.before.host, moved.after.host) == ("ESXi_1", "ESXi_2")
        with pytest.raises(OutOfScope, match="VM 'vm-shared-bob': it is in another VM folder"):
            alice.migrate("vm-shared-bob", host="ESXi_2")
        with pytest.raises(OutOfScope, match="host 'ESXi_1': its settings are shared"):
            alice.enable_vmotion("ESXi_1")
        assert bob.placement(bob.roles.vm).host == "ESXi_1"  # untouched by Alice
        assert bob.migrate(bob.roles.vm, host="ESXi_2").after.host == "ESXi_2"
        alice.close()
        bob.close()
    finally:
        admin.close()
        sim.stop(cfg)
