"""Configuration: precedence and the messages for bad values."""

import pytest

from lablib.config import load
from lablib.errors import ConfigError


def write(tmp_path, text):
    path = tmp_path / "lab.toml"
    path.write_text(text)
    return path


def test_defaults_run_the_simulator_with_the_course_names(tmp_path):
    config = load(write(tmp_path, ""), env={})
    assert config.backend == "simulator"
    assert (config.roles.source_host, config.roles.destination_host) == ("ESXi_1", "ESXi_2")
    assert config.vcenter.verify_tls is True


def test_environment_overrides_the_file(tmp_path):
    path = write(tmp_path, '[roles]\nvm = "from-file"\n[vcenter]\nverify_tls = false\n')
    config = load(path, env={"LAB_ROLE_VM": "from-env"})
    assert config.roles.vm == "from-env"
    assert config.vcenter.verify_tls is False


def test_state_dir_is_per_user_and_configurable(tmp_path):
    assert load(write(tmp_path, ""), env={}).state_dir.parts[-1] == "vmotion-lab"
    config = load(write(tmp_path, ""), env={"LAB_STATE_DIR": str(tmp_path / "s")})
    assert config.state_dir == tmp_path / "s"


@pytest.mark.parametrize("text, env, words", [
    ('[target]\nbackend = "vsphere"\n', {}, ["backend", "simulator, vcenter"]),
    ("", {"LAB_BACKEND": "cloud"}, ["LAB_BACKEND", "simulator, vcenter"]),
    ('[sim]\nmode = "podman"\n', {}, ["mode", "auto, binary, docker"]),
    ('[vcenter]\nverify_tls = "maybe"\n', {}, ["verify_tls", "true, false"]),
    ("", {"LAB_VERIFY_TLS": "sometimes"}, ["LAB_VERIFY_TLS", "true, false"]),
    ('[vcenter]\nport = "https"\n', {}, ["port", "whole number"]),
    ("", {"LAB_PORT": "70000"}, ["LAB_PORT", "1 to 65535"]),
    ("", {"LAB_SIM_DELAY_MS": "-5"}, ["LAB_SIM_DELAY_MS", "whole number"]),
    ('[rolez]\nvm = "x"\n', {}, ["[rolez]", "Did you mean 'roles'"]),
    ('[roles]\nsource_hots = "x"\n', {}, ["source_hots", "source_host"]),
    ('[vcenter]\npassword = "secret"\n', {}, ["never write the password", "LAB_PASSWORD"]),
    ('[target]\nbackend = "vcenter"\n', {}, ["no host is set", "LAB_HOST"]),
    ("[roles\n", {}, ["not valid TOML"]),
    ('[roles]\nvm = 3\n', {}, ["vm", "a text"]),
    ('roles = "x"\n', {}, ["must be a [roles] table"]),
])
def test_bad_values_name_the_key_and_the_accepted_values(tmp_path, text, env, words):
    with pytest.raises(ConfigError) as error:
        load(write(tmp_path, text), env=env)
    for word in words:
        assert word in str(error.value)
    assert "password" not in str(error.value) or "never write" in str(error.value)


def test_lab_config_points_at_a_missing_file(tmp_path, monkeypatch):
    monkeypatch.setenv("LAB_CONFIG", str(tmp_path / "nope.toml"))
    with pytest.raises(ConfigError, match="not a file"):
        load()
