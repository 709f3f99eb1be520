"""TLS, passwords and the scope guard's first step, without a server.

The guard against a simulator configured as a vCenter is tests/sim/test_guard.py; the
lab.toml `password` key is refused in tests/unit/test_config.py.
"""

import getpass
import inspect
import ssl
import warnings
from dataclasses import fields

import pytest

import lablib
from lablib import connection, scope, session
from lablib.config import LabConfig, Scope, VCenterConfig, load
from lablib.connection import InsecureTLSWarning, Target, _ssl_context
from lablib.errors import ConnectError, OutOfScope
from lablib.sim.state import SimState

PASSWORD = "fake-S3cret-Pa55"


def test_a_vcenter_certificate_is_verified_by_default(tmp_path):
    (tmp_path / "lab.toml").write_text('[target]\nbackend = "vcenter"\n[vcenter]\n'
                                       'host = "vc.example"\n')
    config = load(tmp_path / "lab.toml", env={})
    assert config.vcenter.verify_tls is True
    context = _ssl_context(Target("vc.example", 443, "u", "p", config.vcenter.verify_tls))
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


@pytest.mark.parametrize("host", ["vc.example", "127.0.0.1", "localhost"])
def test_turning_tls_checks_off_for_a_vcenter_warns_even_on_loopback(host):
    with pytest.warns(InsecureTLSWarning, match=f"TLS certificate checks are off for {host}"):
        context = _ssl_context(Target(host, 443, "u", "p", verify_tls=False))
    assert context.verify_mode == ssl.CERT_NONE


def test_the_labs_own_simulator_is_not_verified_and_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        context = _ssl_context(Target.from_url("https://lab:pw@127.0.0.1:8989/sdk"))
    assert context.verify_mode == ssl.CERT_NONE


def test_verify_tls_false_must_be_explicit(tmp_path):
    (tmp_path / "lab.toml").write_text("[vcenter]\nverify_tls = false\n")
    assert load(tmp_path / "lab.toml", env={}).vcenter.verify_tls is False
    assert load(None, env={"LAB_VERIFY_TLS": "false", "LAB_CONFIG": ""}).vcenter.verify_tls \
        is False


def test_no_password_in_the_configuration_or_the_connect_call():
    assert "password" not in {f.name for f in fields(VCenterConfig)}
    assert "password" not in {f.name for f in fields(LabConfig)}
    assert "password" not in inspect.signature(lablib.connect).parameters
    config = load(None, env={"LAB_PASSWORD": PASSWORD, "LAB_CONFIG": ""})
    assert PASSWORD not in repr(config)


def test_the_password_comes_from_the_environment_then_a_prompt(monkeypatch):
    monkeypatch.setenv("LAB_PASSWORD", PASSWORD)
    monkeypatch.setattr(getpass, "getpass", pytest.fail)
    assert connection._password("vc.example") == PASSWORD
    monkeypatch.delenv("LAB_PASSWORD")
    asked = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt: asked.append(prompt) or "typed")
    assert connection._password("vc.example") == "typed"
    assert asked == ["Password for vc.example: "]


def test_no_prompt_possible_says_where_the_password_goes(monkeypatch):
    monkeypatch.delenv("LAB_PASSWORD", raising=False)

    def no_terminal(prompt):
        raise OSError("no terminal")

    monkeypatch.setattr(getpass, "getpass", no_terminal)
    with pytest.raises(ConnectError, match=r"set LAB_PASSWORD.*never in a notebook"):
        connection._password("vc.example")


def test_passwords_never_show_in_targets_or_simulator_urls():
    target = Target("vc.example", 443, "student", PASSWORD)
    assert PASSWORD not in repr(target) and PASSWORD not in str(target)
    state = SimState(url=f"https://lab:{PASSWORD}@127.0.0.1:8989/sdk", mode="binary")
    assert state.public_url() == "https://127.0.0.1:8989/sdk"


class _Untouchable:
    """A Lab whose connection and inventory fail the test if the guard touches them."""

    def __init__(self, config):
        self.config = config

    def __getattr__(self, name):
        pytest.fail(f"the guard used lab.{name} before refusing")


def test_the_guard_refuses_without_a_scope_before_any_call():
    lab = _Untouchable(LabConfig(backend="vcenter", vcenter=VCenterConfig(host="vc.example")))
    with pytest.raises(OutOfScope, match=r"No lab scope is configured for vCenter vc.example"):
        scope.check_change(lab, "migrate", object())


class _OwnSimulator(_Untouchable):
    """A session on the simulator lablib runs: the guard does not apply."""

    guarded = False


def test_the_guard_lets_the_simulator_change_anything_without_a_call():
    own = _OwnSimulator(LabConfig(backend="simulator", scope=Scope()))
    session.Session.check_change(own, "migrate", object(), object())
