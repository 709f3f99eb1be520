"""Static checks of the lab simulator's image (docker/go/Dockerfile) and build routes.

No Docker engine runs here: the Dockerfile is read and checked against the Makefile and
the single-user image, which must build the same vcsim and govc the same way.
"""

import json
import re
from pathlib import Path

from test_class_deploy import GO_BUILD_FLAGS, GO_BUILD_TARGETS, stages

ROOT = Path(__file__).resolve().parents[2]
GO = ROOT / "docker" / "go"


def test_the_simulator_image_is_built_in_the_official_go_image():
    (build_from, build), *_ = stages(GO / "Dockerfile")
    assert build_from == "golang:1.26 AS build"
    copied = [args for key, args in build if key == "COPY"]
    assert copied == ["go.mod go.sum ./", ". ."]  # the context is docker/go
    go_build = next(args for key, args in build if key == "RUN" and "go build" in args)
    assert "CGO_ENABLED=0" in go_build and GO_BUILD_FLAGS in go_build
    assert go_build.endswith(f"-o /out/ {GO_BUILD_TARGETS}")


def test_the_runtime_stage_is_small_non_root_and_runs_vcsim_on_8989():
    *_, (runtime_from, runtime) = stages(GO / "Dockerfile")
    assert runtime_from == "scratch"
    keys = dict(runtime)
    assert keys["COPY"] == "--from=build /rootfs/ /"
    user = keys["USER"].split(":")
    assert user[0] not in ("0", "root") and all(part.isdigit() and part != "0" for part in user)
    assert keys["EXPOSE"] == "8989"
    assert json.loads(keys["ENTRYPOINT"]) == ["/vcsim"]
    assert json.loads(keys["CMD"]) == ["-l", "0.0.0.0:8989"]
    # The user the image runs as exists in its /etc/passwd, with a writable /tmp.
    (_, build), *_ = stages(GO / "Dockerfile")
    setup = " ".join(args for key, args in build if key == "RUN")
    uid = user[0]
    assert re.search(rf"vcsim:x:{uid}:{user[1]}:", setup)
    assert "chmod 1777 /rootfs/tmp" in setup
    assert "cp /out/vcsim /out/govc /rootfs/" in setup


def test_every_route_builds_the_same_binaries():
    makefile = (ROOT / "Makefile").read_text()
    assert f"$(GO) build {GO_BUILD_FLAGS} -o ../../$(BIN)/ {GO_BUILD_TARGETS}" in makefile


def test_the_build_context_holds_the_go_module_without_its_tests():
    ignored = (GO / ".dockerignore").read_text().split()
    assert "**/*_test.go" in ignored
    assert not any(p in ignored for p in ("**", "*.go", "**/*.go", "go.mod", "go.sum"))
    for main in ("vcsim/main.go", "govc/main.go"):
        assert (GO / main).is_file()
