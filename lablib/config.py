"""Lab configuration: defaults, then lab.toml, then LAB_* environment variables.

With nothing configured the lab runs on the embedded simulator. A real vCenter is
named in lab.toml (see lab.toml.example) or the environment; its password only ever
comes from LAB_PASSWORD or a prompt, never from a file or a notebook.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import ConfigError, closest
from .text import Text

BACKENDS = ("simulator", "vcenter")
SIM_MODES = ("auto", "binary", "docker")
VCSIM_IMAGE = "vmware/vcsim:v0.56.0"


@dataclass(frozen=True)
class Roles:
    """Names of the objects each lab step works on; the simulator's names by default."""

    datacenter: str = "Datacenter"
    cluster: str = "Cluster"
    source_host: str = "ESXi_1"
    destination_host: str = "ESXi_2"
    shared_datastore: str = "SharedDS"
    local_datastore: str = "ESXi_1-local"
    destination_local_datastore: str = "ESXi_2-local"
    vm: str = "vm-shared"
    local_vm: str = "vm-local"
    vm_network: str = "VM Network"


@dataclass(frozen=True)
class VCenterConfig:
    """Where a real vCenter is and how to log in (never the password)."""

    host: str = ""
    port: int = 443
    user: str = ""
    verify_tls: bool = True


@dataclass(frozen=True)
class Scope:
    """The part of a real vCenter the lab may change: a cluster, or a folder and pool."""

    cluster: str = ""
    folder: str = ""
    resource_pool: str = ""


@dataclass(frozen=True)
class SimConfig:
    """How to find and run the embedded simulator."""

    url: str = ""
    binary: str = ""
    mode: str = "auto"
    state_dir: str = ""
    relocate_delay_ms: int = 0

    def __repr__(self) -> str:  # LAB_SIM_URL may carry a password: never show it
        return (f"SimConfig(url={redact_url(self.url)!r}, binary={self.binary!r}, "
                f"mode={self.mode!r}, state_dir={self.state_dir!r}, "
                f"relocate_delay_ms={self.relocate_delay_ms!r})")


def redact_url(url: str) -> str:
    """Return `url` with the password of its user part replaced by ***."""
    scheme, sep, rest = url.partition("://")
    auth, at, where = rest.rpartition("@")
    if not sep or not at:
        return url
    return f"{scheme}{sep}{auth.split(':', 1)[0]}:***@{where}"


@dataclass(frozen=True)
class Troubleshoot:
    """Lab 09's draw for a class: which scenarios, and how many stacked (1 or 2).

    `scenarios` is a comma-separated list of scenario ids (lablib.troubleshoot), empty for
    all; `level` 2 stacks two causes in each student's lab.
    """

    scenarios: str = ""
    level: int = 1


@dataclass(frozen=True)
class LabConfig:
    """The whole configuration; `source` says where each value came from."""

    backend: str = "simulator"
    vcenter: VCenterConfig = field(default_factory=VCenterConfig)
    scope: Scope = field(default_factory=Scope)
    sim: SimConfig = field(default_factory=SimConfig)
    roles: Roles = field(default_factory=Roles)
    troubleshoot: Troubleshoot = field(default_factory=Troubleshoot)
    path: str = ""

    @property
    def uses_simulator(self) -> bool:
        """Tell whether the target is the embedded simulator (the default), not a vCenter."""
        return self.backend == "simulator"

    @property
    def state_dir(self) -> Path:
        """Return this user's directory for the simulator state file."""
        if self.sim.state_dir:
            return Path(self.sim.state_dir).expanduser()
        base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
        return Path(base) / "vmotion-lab"


_SECTIONS = {"target": None, "vcenter": VCenterConfig, "scope": Scope,
             "sim": SimConfig, "roles": Roles, "troubleshoot": Troubleshoot}
_TARGET_KEYS = ("backend",)
_ENV = {
    "LAB_BACKEND": ("target", "backend"),
    "LAB_HOST": ("vcenter", "host"),
    "LAB_PORT": ("vcenter", "port"),
    "LAB_USER": ("vcenter", "user"),
    "LAB_VERIFY_TLS": ("vcenter", "verify_tls"),
    "LAB_SCOPE_CLUSTER": ("scope", "cluster"),
    "LAB_SCOPE_FOLDER": ("scope", "folder"),
    "LAB_SCOPE_RESOURCE_POOL": ("scope", "resource_pool"),
    "LAB_SIM_URL": ("sim", "url"),
    "LAB_SIM_BIN": ("sim", "binary"),
    "LAB_SIM_MODE": ("sim", "mode"),
    "LAB_STATE_DIR": ("sim", "state_dir"),
    "LAB_SIM_DELAY_MS": ("sim", "relocate_delay_ms"),
    "LAB_TROUBLESHOOT_SCENARIOS": ("troubleshoot", "scenarios"),
    "LAB_TROUBLESHOOT_LEVEL": ("troubleshoot", "level"),
}
_ENV.update({f"LAB_ROLE_{f.name.upper()}": ("roles", f.name)
             for f in dataclasses.fields(Roles)})


def find_config_file(start: Path | None = None) -> Path | None:
    """Return $LAB_CONFIG, or the nearest lab.toml in the working directory or above."""
    if os.environ.get("LAB_CONFIG"):
        path = Path(os.environ["LAB_CONFIG"]).expanduser()
        if not path.is_file():
            raise ConfigError(Text("LAB_CONFIG names '{path}', which is not a file. Fix the "
                                   "path or unset LAB_CONFIG.", "LAB_CONFIG désigne '{path}', "
                                   "qui n'est pas un fichier. Corrigez le chemin ou retirez "
                                   "LAB_CONFIG.", path=path))
        return path
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "lab.toml").is_file():
            return folder / "lab.toml"
    return None


def load(path: Path | str | None = None, env: dict | None = None) -> LabConfig:
    """Read the configuration: defaults < lab.toml < LAB_* environment variables.

    Args:
        path: a lab.toml to read instead of looking for one.
        env: the environment to read (os.environ by default).

    Raises:
        ConfigError: naming the key, where it came from and the accepted values.
    """
    env = dict(os.environ) if env is None else env
    path = Path(path) if path else find_config_file()
    values: dict[str, dict] = {name: {} for name in _SECTIONS}
    if path:
        for section, key, value in _read_toml(path):
            values[section][key] = (value, f"{path.name} [{section}] {key}")
    for var, (section, key) in _ENV.items():
        if env.get(var, "") != "":
            values[section][key] = (env[var], f"environment variable {var}")
    return _build(values, str(path or ""))


def _read_toml(path: Path) -> Iterator[tuple[str, str, Any]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(Text("Cannot read {path}: {exc}.", "Impossible de lire {path} : "
                               "{exc}.", path=path, exc=exc)) from None
    except RecursionError:
        raise ConfigError(Text("{name} is nested too deep to read (arrays or tables inside "
                               "each other). Compare it with lab.toml.example.",
                               "{name} est trop imbriqué pour être lu (tableaux ou tables les "
                               "uns dans les autres). Comparez-le avec lab.toml.example.",
                               name=path.name)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(Text("{name} is not valid TOML: {exc}. Compare it with "
                               "lab.toml.example.", "{name} n'est pas du TOML valide : {exc}. "
                               "Comparez-le avec lab.toml.example.", name=path.name,
                               exc=exc)) from None
    for section, table in data.items():
        if section not in _SECTIONS:
            raise ConfigError(_unknown(f"section [{section}]", section, _SECTIONS, path.name))
        if not isinstance(table, dict):
            raise ConfigError(Text("{name}: '{section}' must be a [{section}] table.",
                                   "{name} : '{section}' doit être une table [{section}].",
                                   name=path.name, section=section))
        for key, value in table.items():
            if section == "vcenter" and key == "password":
                raise ConfigError(Text(
                    "{name}: never write the password in a file. Remove it; set "
                    "LAB_PASSWORD or type it when asked.", "{name} : n'écrivez jamais le "
                    "mot de passe dans un fichier. Retirez-le ; définissez LAB_PASSWORD ou "
                    "tapez-le quand il est demandé.", name=path.name))
            yield section, key, value


def _unknown(what: str, name: str, accepted: Any, where: str) -> Text:
    hint = closest(name, accepted)
    maybe = Text(" Did you mean '{hint}'?", " Vouliez-vous dire '{hint}' ?",
                 hint=hint[0]) if hint else ""
    return Text("{where}: unknown {what}.{maybe} Accepted: {accepted}.",
                "{where} : {what} inconnu(e).{maybe} Acceptés : {accepted}.", where=where,
                what=what, maybe=maybe, accepted=", ".join(accepted))


def _build(values: dict[str, dict], path: str) -> LabConfig:
    sections: dict[str, Any] = {}
    for name, cls in _SECTIONS.items():
        if cls is None:
            continue
        fields = {f.name: f for f in dataclasses.fields(cls)}
        kwargs = {}
        for key, (raw, source) in values[name].items():
            if key not in fields:
                raise ConfigError(_unknown(f"key '{key}'", key, fields, source.split(" [")[0]))
            kwargs[key] = _convert(raw, fields[key].type, source)
        sections[name] = cls(**kwargs)
    backend, source = values["target"].get("backend", ("simulator", "default"))
    for key, (_, src) in values["target"].items():
        if key not in _TARGET_KEYS:
            raise ConfigError(_unknown(f"key '{key}'", key, _TARGET_KEYS, src.split(" [")[0]))
    config = LabConfig(backend=_choice(backend, BACKENDS, source), path=path, **sections)
    _choice(config.sim.mode, SIM_MODES, _source(values, "sim", "mode"))
    if config.sim.state_dir and not Path(config.sim.state_dir).expanduser().is_absolute():
        # Kernels start in different folders: a relative path would split the lab in two.
        raise _invalid(_source(values, "sim", "state_dir"), config.sim.state_dir,
                       Text("an absolute path (or ~/...)", "un chemin absolu (ou ~/...)"))
    if config.sim.url:
        _check_sim_url(config.sim.url, _source(values, "sim", "url"))
    if not 1 <= config.vcenter.port <= 65535:
        raise _invalid(_source(values, "vcenter", "port"), config.vcenter.port,
                       Text("a TCP port, 1 to 65535", "un port TCP, de 1 à 65535"))
    if config.troubleshoot.level not in (1, 2):
        raise _invalid(_source(values, "troubleshoot", "level"), config.troubleshoot.level,
                       Text("1 (one cause per lab), 2 (two causes stacked)",
                            "1 (une cause par lab), 2 (deux causes empilées)"))
    if config.backend == "vcenter" and not config.vcenter.host:
        raise ConfigError(Text("The target is a real vCenter but no host is set. Set "
                               "[vcenter] host in lab.toml or LAB_HOST.",
                               "La cible est un vrai vCenter mais aucun hôte n'est indiqué. "
                               "Renseignez [vcenter] host dans lab.toml ou LAB_HOST."))
    return config


def _check_sim_url(url: str, source: str) -> None:
    """Refuse a simulator URL pyVmomi could not use (no scheme or host, a bad port)."""
    try:
        parts = urlsplit(url)
        port = parts.port
        usable = parts.scheme in ("http", "https") and bool(parts.hostname) and port != 0
    except ValueError:  # an unclosed IPv6 bracket, a port that is not 0 to 65535
        usable = False
    if not usable:
        raise _invalid(source, redact_url(url), Text(
            "a simulator URL such as https://user:pass@HOST:PORT/sdk (port 1 to 65535)",
            "une URL de simulateur comme https://user:pass@HOTE:PORT/sdk (port de 1 à "
            "65535)"))


def _invalid(source: str, shown: Any, accepted: Text) -> ConfigError:
    """Return the error for a setting whose value is not one of `accepted`."""
    return ConfigError(Text("{source} = {shown} is not valid. Accepted values: {accepted}.",
                            "{source} = {shown} n'est pas valide. Valeurs acceptées : "
                            "{accepted}.", source=source, shown=repr(shown), accepted=accepted))


def _source(values: dict, section: str, key: str) -> str:
    return values[section].get(key, (None, f"[{section}] {key}"))[1]


def _choice(value: Any, accepted: tuple[str, ...], source: str) -> str:
    if not isinstance(value, str) or value.strip().lower() not in accepted:
        raise _invalid(source, value, Text(", ".join(accepted)))
    return value.strip().lower()


def _convert(raw: Any, kind: Any, source: str) -> Any:
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise _invalid(source, raw, Text("true, false"))
    if kind == "int":
        # Only whole numbers: int(443.9) would silently be 443.
        if isinstance(raw, int) and not isinstance(raw, bool):
            number = raw
        elif isinstance(raw, str) and re.fullmatch(r"\s*\d{1,9}\s*", raw):
            number = int(raw)
        else:
            number = -1
        if number < 0 or number > 65535 * 1000:
            shown = raw if isinstance(raw, (int, float)) else redact_url(str(raw))[:60]
            raise _invalid(source, shown, Text("a whole number, 0 or more",
                                               "un nombre entier, 0 ou plus"))
        return number
    if not isinstance(raw, str):
        raise _invalid(source, str(raw)[:60], Text("a text", "un texte"))
    if len(raw) > 1024 or any(ord(c) < 32 for c in raw):
        raise ConfigError(Text("{source} is too long or holds control characters. Accepted "
                               "values: a short text on one line.", "{source} est trop long "
                               "ou contient des caractères de contrôle. Valeurs acceptées : "
                               "un texte court sur une ligne.", source=source))
    return raw.strip()
