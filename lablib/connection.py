"""A pyVmomi session to a vCenter or to the simulator, that logs in again by itself.

The session stub retries a dropped connection and logs in again when the server says
the session is gone (`NotAuthenticated`), so an expired session or a restarted
simulator never breaks a student's notebook. Every SOAP request is counted, by method
name too, which the tests and benchmarks use to check that listings cost a fixed number
of round trips and that a refused change sent no modifying call (DESIGN.md §8).
"""

from __future__ import annotations

import collections
import http.client
import socket
import ssl
import threading
import warnings
from dataclasses import dataclass
from urllib.parse import urlsplit

from pyVim.connect import SmartStubAdapter, VimSessionOrientedStub
from pyVmomi import SoapStubAdapter, vim, vmodl

from .errors import ConnectError
from .sim import compat  # noqa: F401  (makes pyVmomi read vcsim's VM runtime info)

SIMULATOR_TAG = "govmomi simulator"  # appended to About.fullName by vcsim (vsphere-facts.md §7)


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
    def from_url(cls, url: str, verify_tls: bool = False) -> "Target":
        """Build a simulator's target from a govc-style URL (https://user:pass@HOST:PORT/sdk)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            shown = url.replace(f":{parts.password}@", ":***@") if parts.password else url
            raise ConnectError(f"'{shown[:200]}' is not a simulator URL. "
                               "Expected https://user:pass@HOST:PORT/sdk.")
        default = 443 if parts.scheme == "https" else 80
        return cls(parts.hostname, parts.port or default, parts.username or "user",
                   parts.password or "pass", verify_tls, parts.scheme, simulator=True)

    def __repr__(self) -> str:  # never show the password
        return f"Target({self.protocol}://{self.user}@{self.host}:{self.port})"


class Connection:
    """A logged-in session: `si`, `content`, `backend` and SOAP request counters.

    `round_trips` counts every request; `calls` counts them by SOAP method name
    (property reads show as RetrievePropertiesEx or RetrieveContents).
    """

    def __init__(self, target: Target, timeout: float = 60.0):
        self.target = target
        self._count_lock = threading.Lock()
        self.round_trips = 0
        self.calls: collections.Counter[str] = collections.Counter()
        soap = self._open_stub(target, timeout)
        self.stub = VimSessionOrientedStub(soap, _login_method(target),
                                           retryDelay=0.2, retryCount=3)
        self.si = vim.ServiceInstance("ServiceInstance", self.stub)
        try:
            self.content = self.si.RetrieveContent()
            self.about = self.content.about
            self.content.sessionManager.currentSession  # the first call logs in
        except vim.fault.InvalidLogin:
            raise ConnectError(f"{target.host} refused the login of '{target.user}'. "
                               "Check the user name and LAB_PASSWORD.") from None
        except (OSError, http.client.HTTPException) as exc:
            raise ConnectError(_unreachable(target, exc)) from None
        self.backend = detect_backend(self.about)

    def _open_stub(self, target: Target, timeout: float) -> SoapStubAdapter:
        # A negative port means plain http to pyVmomi.
        port = target.port if target.protocol == "https" else -target.port
        try:
            soap = SmartStubAdapter(host=target.host, port=port, sslContext=_ssl_context(target),
                                    connectionPoolTimeout=-1, httpConnectionTimeout=timeout)
        except ssl.SSLCertVerificationError as exc:
            raise ConnectError(
                f"The TLS certificate of {target.host} is not trusted ({exc.reason}). "
                "Install the vCenter's CA certificate, or set verify_tls = false "
                "in lab.toml for a lab network only.") from None
        except (OSError, http.client.HTTPException) as exc:
            raise ConnectError(_unreachable(target, exc)) from None
        except Exception:  # SmartStubAdapter's "is down or is not a VIM server"
            raise ConnectError(f"{target.host}:{target.port} answers, but not with the vSphere "
                               "API. Check the address and port.") from None
        self._count(soap)
        return soap

    def _count(self, soap: SoapStubAdapter) -> None:
        invoke = soap.InvokeMethod

        def counted(mo, info, *args, **kwargs):
            self.count(info.wsdlName)
            return invoke(mo, info, *args, **kwargs)

        soap.InvokeMethod = counted

    def count(self, method: str) -> None:
        """Count one SOAP request of `method` (thread-safe)."""
        with self._count_lock:
            self.round_trips += 1
            self.calls[method] += 1

    def close(self) -> None:
        """Log out and drop the HTTP connections; never raises."""
        try:
            self.content.sessionManager.Logout()
        except Exception:  # the server may already be gone
            pass
        self.stub.DropConnections()


class InsecureTLSWarning(UserWarning):
    """The vCenter's TLS certificate is not checked (verify_tls = false)."""


def _login_method(target: Target):
    # pyVim's makeUserLoginMethod first reads currentSession, which vcsim refuses before a
    # login (NotAuthenticated); the stub only calls this when it has no session anyway.
    def login(soap):
        vim.ServiceInstance("ServiceInstance", soap).content.sessionManager.Login(
            target.user, target.password)
    return login


def detect_backend(about) -> str:
    """Return "vcsim" or "vcenter" from the server's About info (vsphere-facts.md §7)."""
    if SIMULATOR_TAG in (about.fullName or ""):
        return "vcsim"
    if about.apiType != "VirtualCenter":
        raise ConnectError(f"This server is {about.fullName}, not a vCenter. vMotion needs "
                           "vCenter (course prerequisite): point the lab at a vCenter.")
    return "vcenter"


def _ssl_context(target: Target) -> ssl.SSLContext | None:
    if target.protocol != "https":
        return None
    if target.verify_tls:
        return ssl.create_default_context()
    if not target.simulator:
        # A vCenter's certificate is checked unless lab.toml says verify_tls = false, and
        # then every connection says so (DESIGN.md §2, §8): the address alone (even
        # loopback, e.g. an SSH tunnel) does not make a server the lab's own simulator.
        warnings.warn(f"TLS certificate checks are off for {target.host} (verify_tls = "
                      "false): do this only on an isolated lab network.", InsecureTLSWarning,
                      stacklevel=4)
    return ssl._create_unverified_context()  # noqa: S323  (explicit opt-out or own simulator)


def _unreachable(target: Target, exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLError):  # something answers, but not with TLS
        return (f"{target.host}:{target.port} does not answer HTTPS ({exc.reason or exc}). "
                "Check the port: the vSphere API is on vCenter's HTTPS port, 443 by default.")
    if isinstance(exc, socket.timeout):
        reason = "no answer in time"
    elif isinstance(exc, ConnectionRefusedError):
        reason = "connection refused"
    elif isinstance(exc, socket.gaierror):
        reason = "unknown host name"
    else:
        reason = type(exc).__name__
    return (f"Cannot reach {target.host}:{target.port} ({reason}). "
            "Check the address and that the server is running.")


def is_connection_lost(exc: BaseException) -> bool:
    """Tell whether an exception means the server stopped answering."""
    return isinstance(exc, (OSError, http.client.HTTPException)) and not isinstance(
        exc, vmodl.MethodFault)
