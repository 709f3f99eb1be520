"""A pyVmomi session to a vCenter or to the simulator, that logs in again by itself.

The session stub logs in again when the server says the session is gone
(`NotAuthenticated`), so an expired session never breaks a student's notebook. Every
wait is bounded: the API version probe and every SOAP request time out (a simulator
stopped with SIGSTOP accepts connections but never answers), and the error says what
to do. Every SOAP request is counted, by method name too, which the tests and
benchmarks use to check that listings cost a fixed number of round trips and that a
refused change sent no modifying call (docs/design.md §8).
"""

from __future__ import annotations

import collections
import contextlib
import getpass
import http.client
import os
import socket
import ssl
import threading
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from xml.etree import ElementTree

from pyVim.connect import VimSessionOrientedStub
from pyVmomi import SoapStubAdapter, VmomiSupport, vim

from .errors import ConnectError, LabMoved
from .text import Text

if TYPE_CHECKING:
    from .config import LabConfig
    from .sim import SimState

#: Appended to About.fullName by vcsim (docs/vsphere-facts.md §7).
SIMULATOR_TAG = "govmomi simulator"
CALL_TIMEOUT = 15.0  # seconds a SOAP request may take; task waits poll in shorter steps

#: SOAP methods that change nothing: safe to send again on a simulator that moved. The
#: session-scoped helpers (views, property collectors, event collectors) count as reads.
READ_ONLY = frozenset({
    "RetrieveServiceContent", "Fetch", "RetrieveContents", "RetrieveProperties",
    "RetrievePropertiesEx", "ContinueRetrievePropertiesEx", "CreateContainerView",
    "DestroyView", "FindByInventoryPath", "CreatePropertyCollector", "CreateFilter",
    "WaitForUpdatesEx", "DestroyPropertyCollector", "QueryEvents", "CreateCollectorForEvents",
    "CreateCollectorForTasks", "SetCollectorPageSize", "ReadNextEvents", "ReadPreviousEvents",
    "DestroyCollector", "QueryNetConfig", "QueryOptions", "CurrentTime", "Login", "Logout",
    "SessionIsActive", "CheckRelocate_Task", "QueryConfigOption", "QueryConfigTarget",
    "EvcManager", "CheckConfigureEvcMode_Task", "QueryVMotionCompatibilityEx_Task",
})
#: What a simulator that was reset or restarted elsewhere answers to an old session.
_MOVED = (OSError, http.client.HTTPException, vim.fault.InvalidLogin,
          vim.fault.NotAuthenticated)


@dataclass(frozen=True)
class Target:
    """Where to connect: host, port, user and how to check TLS."""

    host: str
    port: int
    user: str
    password: str
    verify_tls: bool = True
    protocol: str = "https"
    simulator: bool = False  # a vcsim lablib runs or attaches to: self-signed by design

    @classmethod
    def from_url(cls, url: str, verify_tls: bool = False) -> Target:
        """Build a simulator's target from a govc-style URL (https://user:pass@HOST:PORT/sdk)."""
        parts = urlsplit(url)
        try:
            port = parts.port
        except ValueError:
            port = -1
        if parts.scheme not in ("http", "https") or not parts.hostname or port == -1:
            shown = url.replace(f":{parts.password}@", ":***@") if parts.password else url
            raise ConnectError(Text(
                "'{url}' is not a simulator URL. Expected https://user:pass@HOST:PORT/sdk.",
                "'{url}' n'est pas une URL de simulateur. Attendu : "
                "https://user:pass@HOTE:PORT/sdk.", url=shown[:200]))
        default = 443 if parts.scheme == "https" else 80
        return cls(parts.hostname, port or default, parts.username or "user",
                   parts.password or "pass", verify_tls, parts.scheme, simulator=True)

    def __repr__(self) -> str:  # never show the password
        return f"Target({self.protocol}://{self.user}@{self.host}:{self.port})"


class Connection:
    """A logged-in session: `si`, `content`, `about` and SOAP request counters.

    `round_trips` counts every request; `calls` counts them by SOAP method name
    (property reads show as RetrievePropertiesEx or RetrieveContents).
    """

    def __init__(self, target: Target, timeout: float = CALL_TIMEOUT,
                 relocate: Callable[[], Target | None] | None = None):
        """Open and log in.

        Args:
            target: where to connect.
            timeout: seconds a request may take.
            relocate: for a simulator lablib runs: returns where it runs now when that
                changed (a reset elsewhere), else None. Reads are then sent again there;
                a change raises LabMoved, since it would land on a lab nobody saw.
        """
        self.target = target
        self.timeout = timeout
        self.relocate = relocate
        self._count_lock = threading.Lock()
        self.round_trips = 0
        self.calls: collections.Counter[str] = collections.Counter()
        soap = self._open_stub(target, timeout)
        self.stub = _FollowingStub(soap, lambda stub: self._login(stub), self._follow)
        self.si = vim.ServiceInstance("ServiceInstance", self.stub)
        # pyVmomi's stubs make every ServiceContent field optional; a vCenter has them all.
        self.content: Any = None
        self.about: Any = None
        try:
            self.content = self.si.RetrieveContent()
            self.about = self.content.about
            _ = self.content.sessionManager.currentSession  # the first call logs in
        except vim.fault.InvalidLogin:
            raise ConnectError(Text(
                "{host} refused the login of '{user}'. Check the user name and LAB_PASSWORD.",
                "{host} a refusé la connexion de '{user}'. Vérifiez le nom d'utilisateur et "
                "LAB_PASSWORD.", host=target.host, user=target.user)) from None
        except (OSError, http.client.HTTPException) as exc:
            raise ConnectError(unreachable(target, exc)) from None
        self.is_simulator = SIMULATOR_TAG in (self.about.fullName or "")
        if not self.is_simulator and self.about.apiType != "VirtualCenter":
            raise ConnectError(Text(
                "This server is {name}, not a vCenter. vMotion needs vCenter (course "
                "prerequisite): point the lab at a vCenter.",
                "Ce serveur est {name}, pas un vCenter. vMotion a besoin de vCenter (prérequis "
                "du cours) : indiquez un vCenter au lab.", name=self.about.fullName))

    def _login(self, soap: Any) -> None:
        # pyVim's makeUserLoginMethod first reads currentSession, which vcsim refuses
        # before a login (NotAuthenticated); the stub calls this only without a session.
        manager: Any = vim.ServiceInstance("ServiceInstance", soap).content.sessionManager
        manager.Login(self.target.user, self.target.password)

    def _follow(self) -> bool:
        """Point this connection at the simulator's new address; tell whether it moved."""
        moved = self.relocate() if self.relocate is not None else None
        if moved is None:
            return False
        self.target = moved
        soap = self._open_stub(moved, self.timeout)
        self.stub.moved_to(soap)
        return True

    def _open_stub(self, target: Target, timeout: float) -> SoapStubAdapter:
        context = _ssl_context(target)
        version = _api_version(target, context, timeout)
        # A negative port means plain http to pyVmomi.
        port = target.port if target.protocol == "https" else -target.port
        soap = SoapStubAdapter(host=target.host, port=port, version=version,
                               sslContext=context, connectionPoolTimeout=-1,
                               httpConnectionTimeout=timeout)
        self._count(soap)
        return soap

    def _count(self, soap: SoapStubAdapter) -> None:
        invoke = soap.InvokeMethod

        def counted(mo: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
            self.count(info.wsdlName)
            return invoke(mo, info, *args, **kwargs)

        soap.InvokeMethod = counted  # type: ignore[method-assign]

    def count(self, method: str) -> None:
        """Count one SOAP request of `method` (thread-safe)."""
        with self._count_lock:
            self.round_trips += 1
            self.calls[method] += 1

    def begin_operation(self) -> None:
        """Start an operation: from now on a change may go to wherever the simulator runs.

        A reset followed during an operation refuses the operation's later changes
        (LabMoved): they would land on a lab the student did not see.
        """
        self.stub.moved = False

    def close(self) -> None:
        """Log out and drop the HTTP connections; never raises."""
        with contextlib.suppress(Exception):  # the server may already be gone
            self.content.sessionManager.Logout()
        self.stub.DropConnections()


def open_connection(config: LabConfig, sim_state: SimState | None = None,
                    relocate: Callable[[], Target | None] | None = None) -> Connection:
    """Open a session to the simulator described by `sim_state`, or to the vCenter."""
    if sim_state is not None:
        return Connection(Target.from_url(sim_state.url), relocate=relocate)
    vc = config.vcenter
    if not vc.user:
        raise ConnectError(Text(
            "No user name for {host}. Set [vcenter] user in lab.toml or LAB_USER.",
            "Aucun nom d'utilisateur pour {host}. Renseignez [vcenter] user dans lab.toml "
            "ou LAB_USER.", host=vc.host))
    return Connection(Target(vc.host, vc.port, vc.user, _password(vc.host), vc.verify_tls))


def _password(host: str) -> str:
    """Return LAB_PASSWORD, or ask for it; never read it from a file or a notebook."""
    if os.environ.get("LAB_PASSWORD"):
        return os.environ["LAB_PASSWORD"]
    try:
        return getpass.getpass(f"Password for {host}: ")
    except Exception:  # no terminal or frontend to ask (CI, nbval)
        raise ConnectError(Text(
            "No password for {host}: set LAB_PASSWORD in the environment of Jupyter (never "
            "in a notebook).", "Aucun mot de passe pour {host} : définissez LAB_PASSWORD "
            "dans l'environnement de Jupyter (jamais dans un notebook).", host=host)) from None


class InsecureTLSWarning(UserWarning):
    """The vCenter's TLS certificate is not checked (verify_tls = false)."""


class _FollowingStub(VimSessionOrientedStub):
    """pyVim's session stub, that follows a simulator reset elsewhere (see Connection)."""

    def __init__(self, soap: SoapStubAdapter, login: Callable[[Any], None],
                 follow: Callable[[], bool]):
        # retryCount=2: one new login after an expired session, one retry of a dropped call.
        super().__init__(soap, login, retryDelay=0.2, retryCount=2)
        self._follow = follow
        self.moved = False  # followed a reset since the current operation began

    def moved_to(self, soap: SoapStubAdapter) -> None:
        """Send every request to `soap` from now on, with a new login."""
        self.soapStub = soap
        self.DropConnections = soap.DropConnections
        self._SetStateUnauthenticated()
        self.moved = True

    def InvokeMethod(self, mo: Any, info: Any, args: Any) -> Any:
        changes = info.wsdlName not in READ_ONLY
        if changes and self.moved:  # the operation began on the lab that was reset
            raise LabMoved(_MOVED_MESSAGE)
        try:
            return super().InvokeMethod(mo, info, args)
        except _MOVED:
            if not self._follow():
                raise
        if changes:
            raise LabMoved(_MOVED_MESSAGE)
        return super().InvokeMethod(mo, info, args)

    def InvokeAccessor(self, mo: Any, info: Any) -> Any:
        try:
            return super().InvokeAccessor(mo, info)
        except _MOVED:
            if not self._follow():
                raise
        return super().InvokeAccessor(mo, info)


_MOVED_MESSAGE = Text(
    "The simulator was reset meanwhile (by another notebook or a terminal): your lab is back "
    "to its initial state, and this change was not made. Run the notebook's first cell, "
    "then this cell again.",
    "Le simulateur a été remis à zéro entre-temps (par un autre notebook ou un terminal) : "
    "votre lab est revenu à son état initial, et ce changement n'a pas été fait. Relancez "
    "la première cellule du notebook, puis cette cellule.")


def _api_version(target: Target, context: ssl.SSLContext | None, timeout: float) -> str:
    """Return the newest vSphere API version both pyVmomi and the server speak.

    pyVim's SmartStubAdapter asks the server the same question without a timeout, so a
    server that accepts the connection but never answers would block the notebook.
    """
    url = f"{target.protocol}://{target.host}:{target.port}/sdk/vimServiceVersions.xml"
    try:
        with urllib.request.urlopen(url, timeout=timeout, context=context) as answer:
            root = ElementTree.fromstring(answer.read())
    except urllib.error.HTTPError:  # a web server, but no vSphere API there
        root = None
    except (OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", None)
        cause = reason if isinstance(reason, BaseException) else exc
        if isinstance(cause, ssl.SSLCertVerificationError):
            raise ConnectError(Text(
                "The TLS certificate of {host} is not trusted ({reason}). Install the "
                "vCenter's CA certificate, or set verify_tls = false in lab.toml for a lab "
                "network only.", "Le certificat TLS de {host} n'est pas reconnu ({reason}). "
                "Installez le certificat de l'autorité du vCenter, ou mettez verify_tls = "
                "false dans lab.toml, sur un réseau de lab seulement.", host=target.host,
                reason=cause.reason)) from None
        raise ConnectError(unreachable(target, cause)) from None
    except ElementTree.ParseError:
        root = None
    offered = set() if root is None else {
        v.text for ns in root.findall("namespace") if ns.findtext("name") == "urn:vim25"
        for v in [ns.find("version"), *ns.findall("priorVersions/version")] if v is not None}
    for version in VmomiSupport.GetServiceVersions("vim25"):
        if VmomiSupport.versionIdMap.get(version) in offered:
            return version
    raise ConnectError(Text(
        "{host}:{port} answers, but not with the vSphere API. Check the address and port.",
        "{host}:{port} répond, mais pas avec l'API vSphere. Vérifiez l'adresse et le port.",
        host=target.host, port=target.port))


def _ssl_context(target: Target) -> ssl.SSLContext | None:
    if target.protocol != "https":
        return None
    if target.verify_tls:
        return ssl.create_default_context()
    if not target.simulator:
        # A vCenter's certificate is checked unless lab.toml says verify_tls = false, and
        # then every connection says so (docs/design.md §2, §8): the address alone (even
        # loopback, e.g. an SSH tunnel) does not make a server the lab's own simulator.
        warnings.warn(f"TLS certificate checks are off for {target.host} (verify_tls = "
                      "false): do this only on an isolated lab network.", InsecureTLSWarning,
                      stacklevel=5)
    return ssl._create_unverified_context()


def unreachable(target: Target, exc: BaseException) -> Text:
    """Return what to say when `target` cannot be reached or does not answer."""
    where = f"{target.host}:{target.port}"
    if isinstance(exc, ssl.SSLError):  # something answers, but not with TLS
        return Text(
            "{where} does not answer HTTPS ({reason}). Check the port: the vSphere API is "
            "on vCenter's HTTPS port, 443 by default.",
            "{where} ne répond pas en HTTPS ({reason}). Vérifiez le port : l'API vSphere "
            "est sur le port HTTPS de vCenter, 443 par défaut.", where=where,
            reason=exc.reason or exc)
    if isinstance(exc, (socket.timeout, TimeoutError)):
        if target.simulator:
            return Text(
                "The simulator at {where} is not answering (stopped or hung). Run "
                "`python -m lablib sim reset` in a terminal, then run this cell again.",
                "Le simulateur {where} ne répond pas (arrêté ou bloqué). Lancez "
                "`python -m lablib sim reset` dans un terminal, puis relancez cette cellule.",
                where=where)
        return Text("{where} is not answering. Check the network and that vCenter runs.",
                    "{where} ne répond pas. Vérifiez le réseau et que vCenter fonctionne.",
                    where=where)
    if isinstance(exc, ConnectionRefusedError):
        reason = Text("connection refused", "connexion refusée")
    elif isinstance(exc, socket.gaierror):
        reason = Text("unknown host name", "nom d'hôte inconnu")
    else:
        reason = Text(type(exc).__name__)
    return Text("Cannot reach {where} ({reason}). Check the address and that the server "
                "is running.", "Impossible de joindre {where} ({reason}). Vérifiez l'adresse "
                "et que le serveur fonctionne.", where=where, reason=reason)
