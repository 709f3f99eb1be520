"""Bad input, in one table: every case raises a clear LabError and changes nothing.

Each row calls lablib the way a student or an instructor might get it wrong (a typo, the
wrong kind of object, an empty or huge or binary string, a bad EVC mode or vmknic, a bad
lab.toml value, wrong credentials, a server that is not there, a port already taken, no
simulator at all, a damaged state file) and asserts the LabError subclass, the words of
the message (what is wrong and what to do) and that the lab's inventory is as it was
with no modifying SOAP call sent (tests/sim/unchanged.py). This is the one table of
bad-input cases; the names, config and simulator cases that used to sit in
test_lookup.py, tests/unit/test_config.py and test_lifecycle.py are here.

The last test runs a notebook in a real IPython kernel: a LabError shows as one short
line, not a traceback.
"""

import http.server
import os
import shutil
import ssl
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbclient import NotebookClient

import lablib
from lablib import sim
from lablib.config import LabConfig, VCenterConfig, load
from lablib.connection import Target
from lablib.errors import (ConfigError, ConnectError, InputError, LabError, NotFoundError,
                           OperationRefused, SimulatorError, WrongKindError)
from lablib.connection import open_connection
from lablib.sim import runner
from unchanged import unchanged

WRONG_PASSWORD = "wrong-" + "pa55word"


@dataclass(frozen=True)
class Case:
    """One bad input: the call, the LabError it must raise, words its message must hold."""

    id: str
    call: object  # (ctx) -> anything; ctx.lab, ctx.tmp_path, ctx.monkeypatch, ctx.sim_state
    error: type
    words: tuple[str, ...]
    gap: str = ""  # a known gap in lablib: the case is xfail(strict=True) until it is fixed


def lookup(kind, ref):
    return lambda ctx: ctx.lab.find(kind, ref)


def lab_call(method, *args, **kwargs):
    return lambda ctx: getattr(ctx.lab, method)(*args, **kwargs)


def toml(text, env=None):
    def call(ctx):
        path = ctx.tmp_path / "lab.toml"
        path.write_text(text, encoding="utf-8")
        return load(path, env=env or {})
    return call


def environment(**env):
    return lambda ctx: load(None, env=env)


def sim_url(url):
    """Connect with LAB_SIM_URL set to `url` (and a private state directory)."""
    def call(ctx):
        ctx.monkeypatch.setenv("LAB_SIM_URL", url)
        ctx.monkeypatch.setenv("LAB_STATE_DIR", str(ctx.tmp_path / "state"))
        return lablib.connect()
    return call


# -- names: unknown, misspelt, wrong kind, empty, huge, unicode, control characters, types
NAMES = [
    Case("unknown host", lookup("host", "ESXi_3"), NotFoundError,
         ("No host is named 'ESXi_3'", "Did you mean 'ESXi_", "Hosts: 'ESXi_1' and 'ESXi_2'")),
    Case("host in the wrong case", lookup("host", "esxi_1"), NotFoundError,
         ("Did you mean 'ESXi_1'?",)),
    Case("misspelt VM", lookup("vm", "vm-shard"), NotFoundError,
         ("No VM is named 'vm-shard'", "Did you mean 'vm-shared'?")),
    Case("misspelt datastore", lookup("datastore", "Shared"), NotFoundError,
         ("No datastore", "'SharedDS'")),
    Case("misspelt network", lookup("network", "VM Netwrok"), NotFoundError,
         ("No network is named 'VM Netwrok'", "Did you mean 'VM Network'?")),
    Case("misspelt cluster", lookup("cluster", "Clustr"), NotFoundError,
         ("No cluster is named 'Clustr'", "Did you mean 'Cluster'?")),
    Case("a datastore where a host is expected", lookup("host", "SharedDS"), WrongKindError,
         ("'SharedDS' is a datastore, not a host", "Hosts: 'ESXi_1' and 'ESXi_2'")),
    Case("a host where a datastore is expected", lookup("datastore", "ESXi_1"),
         WrongKindError, ("'ESXi_1' is a host, not a datastore",)),
    Case("a cluster where a VM is expected", lookup("vm", "Cluster"), WrongKindError,
         ("'Cluster' is a cluster, not a VM",)),
    Case("a datastore object where a host is expected",
         lambda ctx: ctx.lab.host(ctx.lab.datastore("SharedDS")), WrongKindError,
         ("'SharedDS' is a datastore, not a host",)),
    Case("empty host name", lookup("host", ""), InputError,
         ("host name is empty", "such as 'ESXi_2'")),
    Case("whitespace host name", lookup("host", "   \t "), InputError, ("host name is empty",)),
    Case("huge VM name", lookup("vm", "x" * 5000), InputError,
         ("5000 characters", "at most 255")),
    Case("NUL in a VM name", lookup("vm", "vm\x00shared"), InputError,
         ("control characters", "Type the name again")),
    Case("terminal escape in a VM name", lookup("vm", "\x1b[31mvm-shared"), InputError,
         ("control characters",)),
    Case("int as a host", lookup("host", 42), InputError,
         ("Expected the name of a host", "int 42")),
    Case("None as a host", lookup("host", None), InputError,
         ("Expected the name of a host", "NoneType")),
    Case("list as a host", lookup("host", ["ESXi_1"]), InputError,
         ("Expected the name of a host", "list")),
    Case("float as a datastore", lookup("datastore", 3.5), InputError,
         ("Expected the name of a datastore", "float")),
    Case("unicode and emoji", lookup("vm", "vm-sharéd🙂"), NotFoundError,
         ("No VM is named 'vm-sharéd🙂'",)),
    Case("only an emoji", lookup("host", "🖥️"), NotFoundError, ("No host is named '🖥️'",)),
    Case("shell characters", lookup("host", "ESXi_1; rm -rf /"), NotFoundError,
         ("Nothing is at the inventory path 'ESXi_1; rm -rf /'",)),
    Case("inventory path to nothing", lookup("host", "/Datacenter/host/Nope"), NotFoundError,
         ("Nothing is at the inventory path", "/Datacenter/host/Cluster/ESXi_1")),
    Case("id of nothing", lookup("host", "host-99999"), NotFoundError,
         ("No host is named 'host-99999'",)),
    Case("huge name to placement", lab_call("placement", "é" * 300), InputError,
         ("300 characters",)),
]

# -- operations: the same mistakes in the vMotion operations' arguments
OPERATIONS = [
    Case("migrate to a datastore named as host",
         lab_call("migrate", "vm-shared", host="SharedDS"), WrongKindError,
         ("'SharedDS' is a datastore, not a host",)),
    Case("migrate to a host named as datastore",
         lab_call("migrate", "vm-shared", datastore="ESXi_2"), WrongKindError,
         ("'ESXi_2' is a host, not a datastore",)),
    Case("migrate a misspelt VM", lab_call("migrate", "vm-shard", host="ESXi_2"),
         NotFoundError, ("Did you mean 'vm-shared'?",)),
    Case("migrate to a misspelt host", lab_call("migrate", "vm-shared", host="ESXi2"),
         NotFoundError, ("No host is named 'ESXi2'", "Did you mean 'ESXi_2'?")),
    Case("migrate with no destination", lab_call("migrate", "vm-shared"), InputError,
         ("Say where to migrate", "host=", "datastore=")),
    Case("migrate with an unknown priority",
         lab_call("migrate", "vm-shared", host="ESXi_2", priority="urgent"), InputError,
         ("Unknown priority 'urgent'", "defaultPriority, highPriority, lowPriority")),
    Case("migrate with a negative timeout",
         lab_call("migrate", "vm-shared", host="ESXi_2", timeout=-1), InputError,
         ("timeout must be a positive number",)),
    Case("migrate with a text as progress callback",
         lab_call("migrate", "vm-shared", host="ESXi_2", on_progress="print"), InputError,
         ("on_progress must be a function", "str")),
    Case("migrate to a misspelt network",
         lab_call("migrate", "vm-shared", host="ESXi_2", network="VM Netwrk"), NotFoundError,
         ("No network is named 'VM Netwrk'", "Did you mean 'VM Network'?")),
    Case("precheck with a host as datastore",
         lab_call("precheck", "vm-shared", host="ESXi_2", datastore="ESXi_2"), WrongKindError,
         ("'ESXi_2' is a host, not a datastore",)),
    Case("unknown vmknic", lab_call("enable_vmotion", "ESXi_1", "vmk9"), NotFoundError,
         ("ESXi_1 has no VMkernel adapter 'vmk9'", "VMkernel adapters: 'vmk0'")),
    Case("empty vmknic", lab_call("enable_vmotion", "ESXi_1", ""), InputError,
         ("Expected a VMkernel adapter name such as 'vmk0'", "ESXi_1 has 'vmk0'")),
    Case("None as vmknic", lab_call("disable_vmotion", "ESXi_2", None), InputError,
         ("Expected a VMkernel adapter name",)),
    Case("vMotion on a VM", lab_call("enable_vmotion", "vm-shared"), WrongKindError,
         ("'vm-shared' is a VM, not a host",)),
    Case("misspelt EVC mode", lab_call("configure_evc", "intel-skylak"), InputError,
         ("intel-skylak", "intel-skylake")),
    Case("empty EVC mode", lab_call("configure_evc", ""), InputError, ("intel-cascadelake",)),
    Case("None as EVC mode", lab_call("configure_evc", None), InputError,
         ("intel-cascadelake",)),
    Case("EVC mode and cluster swapped", lab_call("configure_evc", "Cluster", "intel-skylake"),
         InputError, ("The EVC mode comes first",
                      "lab.configure_evc('intel-skylake', 'Cluster')")),
    Case("AMD EVC mode on Intel hosts", lab_call("configure_evc", "amd-zen"), OperationRefused,
         ("'amd-zen' is for amd CPUs", "intel modes")),
    Case("EVC on a datastore", lab_call("configure_evc", "intel-skylake", "SharedDS"),
         WrongKindError, ("'SharedDS' is a datastore, not a cluster",)),
    Case("power on a cluster", lab_call("power_on", "Cluster"), WrongKindError,
         ("'Cluster' is a cluster, not a VM",)),
    Case("power off None", lab_call("power_off", None), InputError,
         ("Expected the name of a VM",)),
    Case("maintenance with evacuate='yes'",
         lab_call("enter_maintenance", "ESXi_1", evacuate="yes"), InputError,
         ("evacuate must be True or False",)),
    Case("maintenance on a VM", lab_call("enter_maintenance", "vm-shared"), WrongKindError,
         ("'vm-shared' is a VM, not a host",)),
    Case("maintenance with a negative timeout",
         lab_call("enter_maintenance", "ESXi_1", timeout=-1), InputError,
         ("timeout must be a positive number",)),
    Case("maintenance with a zero timeout",
         lab_call("enter_maintenance", "ESXi_1", timeout=0), InputError,
         ("timeout must be a positive number",)),
    Case("maintenance with a text timeout",
         lab_call("enter_maintenance", "ESXi_1", timeout="5"), InputError,
         ("timeout must be a positive number", "'5'")),
    Case("maintenance with a text as progress callback",
         lab_call("enter_maintenance", "ESXi_1", on_progress="print"), InputError,
         ("on_progress must be a function", "str")),
    Case("find with an unknown kind", lab_call("find", "vms", "vm-shared"), InputError,
         ("Unknown kind 'vms'", "vm, host")),
    Case("find with no kind", lab_call("find", None, "vm-shared"), InputError,
         ("Unknown kind None",)),
    Case("rebalance with apply='yes'", lab_call("rebalance", apply="yes"), InputError,
         ("apply must be True or False",)),
    Case("tasks with a negative limit", lab_call("tasks", limit=-1), InputError,
         ("limit must be a whole number from 1 to",)),
    Case("events of an unknown VM", lab_call("events", vm="vm-sahred"), NotFoundError,
         ("Did you mean 'vm-shared'?",)),
]

# -- lab.toml and LAB_* values: each message names the key and the accepted values
CONFIG = [
    Case("unknown backend", toml('[target]\nbackend = "vsphere"\n'), ConfigError,
         ("backend", "'vsphere'", "simulator, vcenter")),
    Case("unknown backend from the environment", environment(LAB_BACKEND="cloud"), ConfigError,
         ("LAB_BACKEND", "simulator, vcenter")),
    Case("backend as a boolean", toml("[target]\nbackend = true\n"), ConfigError,
         ("backend", "simulator, vcenter")),
    Case("misspelt target key", toml('[target]\nbakend = "vcenter"\n'), ConfigError,
         ("unknown key 'bakend'", "Did you mean 'backend'?")),
    Case("unknown simulator mode", toml('[sim]\nmode = "podman"\n'), ConfigError,
         ("mode", "auto, binary, docker")),
    Case("verify_tls maybe", toml('[vcenter]\nverify_tls = "maybe"\n'), ConfigError,
         ("verify_tls", "true, false")),
    Case("LAB_VERIFY_TLS sometimes", environment(LAB_VERIFY_TLS="sometimes"), ConfigError,
         ("LAB_VERIFY_TLS", "true, false")),
    Case("port as a word", toml('[vcenter]\nport = "https"\n'), ConfigError,
         ("port", "whole number")),
    Case("port out of range", environment(LAB_PORT="70000"), ConfigError,
         ("LAB_PORT", "1 to 65535")),
    Case("port zero", toml("[vcenter]\nport = 0\n"), ConfigError, ("port", "1 to 65535")),
    Case("relative state directory", toml('[sim]\nstate_dir = "lab-state"\n'), ConfigError,
         ("state_dir", "absolute path")),
    Case("negative demo delay", environment(LAB_SIM_DELAY_MS="-5"), ConfigError,
         ("LAB_SIM_DELAY_MS", "whole number")),
    Case("demo delay as a word", environment(LAB_SIM_DELAY_MS="slow"), ConfigError,
         ("LAB_SIM_DELAY_MS", "whole number")),
    Case("misspelt section", toml('[rolez]\nvm = "x"\n'), ConfigError,
         ("[rolez]", "Did you mean 'roles'")),
    Case("misspelt role", toml('[roles]\nsource_hots = "x"\n'), ConfigError,
         ("source_hots", "source_host")),
    Case("password in lab.toml", toml('[vcenter]\npassword = "secret"\n'), ConfigError,
         ("never write the password", "LAB_PASSWORD")),
    Case("vCenter without a host", toml('[target]\nbackend = "vcenter"\n'), ConfigError,
         ("no host is set", "LAB_HOST")),
    Case("not TOML", toml("[roles\n"), ConfigError, ("not valid TOML", "lab.toml.example")),
    Case("role as a number", toml("[roles]\nvm = 3\n"), ConfigError, ("vm", "a text")),
    Case("scope cluster as a number", toml("[scope]\ncluster = 5\n"), ConfigError,
         ("[scope] cluster", "a text")),
    Case("role with a control character", toml('[roles]\nvm = "vm\\u0007shared"\n'),
         ConfigError, ("[roles] vm", "control characters", "a short text on one line")),
    Case("huge role", toml(f'[roles]\nvm = "{"v" * 2000}"\n'), ConfigError,
         ("[roles] vm", "too long")),
    Case("section that is not a table", toml('roles = "x"\n'), ConfigError,
         ("must be a [roles] table",)),
    Case("port with a fraction", toml("[vcenter]\nport = 443.9\n"), ConfigError,
         ("[vcenter] port", "443.9", "whole number")),
    Case("lab.toml nested 5,000 deep", toml("x = " + "[" * 5000 + "]" * 5000 + "\n"),
         ConfigError, ("lab.toml", "nested too deep", "lab.toml.example")),
    Case("LAB_SIM_URL with port 99999",
         sim_url(f"https://lab:{WRONG_PASSWORD}@127.0.0.1:99999/sdk"), ConfigError,
         ("LAB_SIM_URL", "https://lab:***@127.0.0.1:99999/sdk", "port 1 to 65535")),
    Case("LAB_SIM_URL that is a word", sim_url("abc"), ConfigError,
         ("LAB_SIM_URL", "'abc'", "https://user:pass@HOST:PORT/sdk")),
    Case("LAB_SIM_URL with an unclosed IPv6 bracket", sim_url("https://[::1"), ConfigError,
         ("LAB_SIM_URL", "https://[::1", "https://user:pass@HOST:PORT/sdk")),
    Case("LAB_CONFIG names a missing file",
         lambda ctx: (ctx.monkeypatch.setenv("LAB_CONFIG", str(ctx.tmp_path / "nope.toml")),
                      load()), ConfigError, ("LAB_CONFIG names", "not a file")),
]


# -- the connection: credentials, servers that are not there or not vSphere
def sim_port(ctx) -> int:
    return Target.from_url(ctx.sim_state.url).port


def vcenter(host="127.0.0.1", port=sim_port, user="lab", password=WRONG_PASSWORD):
    """Connect as to a vCenter (TLS checks off, which warns) at `port(ctx)`."""
    def call(ctx):
        ctx.monkeypatch.setenv("LAB_PASSWORD", password)
        config = LabConfig(backend="vcenter", vcenter=VCenterConfig(
            host=host, port=port(ctx), user=user, verify_tls=False))
        with pytest.warns(UserWarning):
            return open_connection(config)
    return call


def closed_port(ctx) -> int:
    return runner.free_port()  # nothing listens there once the probe socket is closed


def web_server(ctx, tls: bool) -> int:
    """Start a web server that answers 404 to everything (HTTPS with `tls`); its port."""
    server = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    if tls:
        openssl = shutil.which("openssl")
        if openssl is None:
            pytest.skip("openssl not found: no certificate for a fake HTTPS server")
        key, cert = ctx.tmp_path / "key.pem", ctx.tmp_path / "cert.pem"
        subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days",
                        "1", "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                       check=True, capture_output=True)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ctx.cleanup.append(server.shutdown)
    return server.server_address[1]


CONNECTION = [
    Case("wrong password", vcenter(), ConnectError,
         ("127.0.0.1 refused the login of 'lab'", "Check the user name and LAB_PASSWORD")),
    Case("wrong user", vcenter(user="student"), ConnectError,
         ("refused the login of 'student'",)),
    Case("unreachable server (closed port)", vcenter(port=closed_port),
         ConnectError, ("Cannot reach 127.0.0.1:", "connection refused",
                        "that the server is running")),
    Case("unknown host name", vcenter("no-such-vcenter.invalid", lambda ctx: 443),
         ConnectError, ("Cannot reach no-such-vcenter.invalid:443", "unknown host name")),
    Case("a web server without TLS",
         vcenter(port=lambda ctx: web_server(ctx, tls=False)), ConnectError,
         ("does not answer HTTPS", "Check the port", "443")),
    Case("an HTTPS server that is not vSphere",
         vcenter(port=lambda ctx: web_server(ctx, tls=True)), ConnectError,
         ("answers, but not with the vSphere API", "Check the address and port")),
    Case("LAB_SIM_URL that is not a URL",
         lambda ctx: Target.from_url("vcsim on my laptop"), ConnectError,
         ("is not a simulator URL", "https://user:pass@HOST:PORT/sdk")),
    Case("LAB_SIM_URL of another scheme, with a password",
         lambda ctx: Target.from_url(f"ftp://lab:{WRONG_PASSWORD}@127.0.0.1/sdk"),
         ConnectError, ("'ftp://lab:***@127.0.0.1/sdk' is not a simulator URL",)),
]


# -- the simulator: port taken, nothing to run, damaged state
def private_config(ctx, **env):
    (ctx.tmp_path / "lab.toml").write_text("")
    return load(None, env={"LAB_STATE_DIR": str(ctx.tmp_path / "state"),
                           "LAB_CONFIG": str(ctx.tmp_path / "lab.toml"), **env})


def port_in_use(ctx):
    blocker = runner.socket.socket()
    ctx.cleanup.append(blocker.close)
    blocker.bind(("127.0.0.1", 0))
    blocker.listen()
    directory = sim.state.ensure_dir(ctx.tmp_path / "state")
    return runner.launch_binary(sim.locate.find_tool("vcsim"), directory,
                                blocker.getsockname()[1])


def no_simulator(ctx):
    ctx.monkeypatch.setattr(sim.locate, "BUILD_BIN", ctx.tmp_path)
    ctx.monkeypatch.setenv("PATH", str(ctx.tmp_path))
    return sim.ensure_running(private_config(ctx))


def damaged_state(content):
    def call(ctx):
        config = private_config(ctx)
        sim.state.ensure_dir(config.state_dir)
        (config.state_dir / "sim.json").write_text(content)
        return lablib.connect(config)
    return call


SIMULATOR = [
    Case("port already in use", port_in_use, SimulatorError,
         ("is already in use", "let lablib pick a free port")),
    Case("no vcsim binary and no Docker", no_simulator, SimulatorError,
         ("No vCenter simulator found", "make sim-tools", "Docker")),
    Case("configured vcsim binary missing",
         lambda ctx: sim.ensure_running(private_config(ctx, LAB_SIM_BIN=str(ctx.tmp_path /
                                                                            "vcsim"))),
         SimulatorError, ("is not an executable file", "LAB_SIM_BIN")),
    Case("state file that is not JSON", damaged_state("{not json"), SimulatorError,
         ("damaged", "python -m lablib sim reset")),
    Case("state file of the wrong shape", damaged_state('["url", 8989]'), SimulatorError,
         ("damaged", "python -m lablib sim reset")),
    Case("state file with unknown fields only", damaged_state('{"port": "x"}'),
         SimulatorError, ("damaged", "python -m lablib sim reset")),
    Case("state directory that cannot be created",
         lambda ctx: sim.ensure_running(private_config(ctx, LAB_STATE_DIR="/proc/lab-state")),
         SimulatorError, ("Cannot create the lab state directory", "Set LAB_STATE_DIR")),
]

CASES = NAMES + OPERATIONS + CONFIG + CONNECTION + SIMULATOR


def test_the_table_has_every_kind_of_bad_input():
    assert len(CASES) >= 40
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.fixture(scope="module")
def shared_lab(sim_state):
    """One lab for the whole table: every case must leave it unchanged anyway."""
    lab = lablib.connect(reset=True)
    yield lab
    lab.close()


@pytest.mark.parametrize("case", [
    pytest.param(case, marks=pytest.mark.xfail(strict=True, reason=case.gap)) if case.gap
    else case for case in CASES], ids=[case.id for case in CASES])
def test_bad_input_is_refused_with_a_clear_message_and_changes_nothing(
        case, shared_lab, sim_state, tmp_path, monkeypatch):
    ctx = SimpleNamespace(lab=shared_lab, tmp_path=tmp_path, monkeypatch=monkeypatch,
                          sim_state=sim_state, cleanup=[])
    try:
        with unchanged(shared_lab):
            with pytest.raises(case.error) as raised:
                case.call(ctx)
    finally:
        for done in ctx.cleanup:
            done()
    message = str(raised.value)
    assert isinstance(raised.value, LabError)
    for word in case.words:
        assert word in message, f"{word!r} not in: {message}"
    assert len(message) < 700 and "Traceback" not in message
    assert WRONG_PASSWORD not in message
    assert runner.our_pids(tmp_path / "state") == [], "a simulator was left behind"


def test_a_lab_error_shows_as_one_short_line_in_a_notebook(sim_state, tmp_path, monkeypatch):
    root = str(Path(__file__).resolve().parents[2])  # the kernel imports this checkout
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]))
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import lablib\nlab = lablib.connect()"),
        nbformat.v4.new_code_cell("lab.host('ESXi_3')"),
        nbformat.v4.new_code_cell("lab.migrate('vm-shared', host='SharedDS')"),
    ])
    NotebookClient(notebook, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert notebook.cells[0].outputs == []
    for cell, kind, words in ((notebook.cells[1], "NotFoundError", "No host is named 'ESXi_3'"),
                              (notebook.cells[2], "WrongKindError",
                               "'SharedDS' is a datastore, not a host")):
        (error,) = [out for out in cell.outputs if out.output_type == "error"]
        assert error.ename == kind
        shown = "\n".join(error.traceback)
        assert len(error.traceback) == 1 and "\n" not in shown.strip()
        assert kind in shown and words in shown and len(shown) < 400
        assert "Traceback" not in shown and ".py" not in shown
