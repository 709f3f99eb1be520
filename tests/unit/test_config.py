"""Configuration: precedence and the messages for bad values."""

from lablib.config import load


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


# Bad values (each message naming the key and the accepted values) are cases of the
# bad-input table in tests/sim/test_bad_input.py.
