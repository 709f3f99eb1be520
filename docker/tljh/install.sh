#!/bin/sh
# The Littlest JupyterHub (TLJH) for a class on ONE server: every student is a Linux user
# (jupyter-<name>) with their own home, Jupyter server and simulator.
#
#   sudo ADMIN=instructor sh docker/tljh/install.sh          # from the kit's folder
#   sudo sh docker/tljh/install.sh update-labs               # later: new labs to everyone
#
# Needs Ubuntu 22.04/24.04 or Debian 12, root, and network access while it runs (TLJH's
# installer and Python packages). The class itself then needs no network: each
# student's simulator runs on the server's loopback interface with its own port and
# per-run password. Capacity and limits: BENCHMARKS.md "Classroom" (docker/tljh/config.yaml
# holds the figures this script sets; tests/unit/test_class_deploy.py checks them).
set -eu

KIT=$(cd "$(dirname "$0")/../.." && pwd)
ADMIN=${ADMIN:-instructor}
USER_ENV=/opt/tljh/user
LABS=$USER_ENV/share/vmotion-lab/labs
# From docker/tljh/config.yaml (BENCHMARKS.md "Classroom", measured per student).
MEMORY_LIMIT=768M
CPU_LIMIT=1
CULL_TIMEOUT=3600
CULL_EVERY=300

[ "$(id -u)" = 0 ] || { echo "Run as root (sudo)." >&2; exit 1; }

copy_labs_to_every_student() {
    # As each student (never as root into their home): copies only what they lack.
    for home in /home/jupyter-*; do
        [ -d "$home" ] || continue
        student=$(basename "$home")
        runuser -u "$student" -- env HOME="$home" LAB_LABS_SOURCE="$LABS" \
            "$USER_ENV/bin/python" -m lablib.classroom init-home
    done
}

install_labs() {
    rm -rf "$LABS" && mkdir -p "$LABS"
    cp -R "$KIT/labs/en" "$KIT/labs/fr" "$KIT/labs/README.md" "$LABS/"
    # New accounts get the labs from /etc/skel when TLJH creates them.
    rm -rf /etc/skel/labs && cp -R "$LABS" /etc/skel/labs
}

if [ "${1:-}" = "update-labs" ]; then
    "$USER_ENV/bin/pip" install --quiet --upgrade "$KIT"
    install_labs
    copy_labs_to_every_student
    exit 0
fi

# 1. TLJH itself, with the instructor as admin (https://tljh.jupyter.org).
if [ ! -x /opt/tljh/hub/bin/tljh-config ]; then
    apt-get update -qq
    apt-get install -y -qq python3 python3-dev git curl
    curl -L https://tljh.jupyter.org/bootstrap.py | python3 - --admin "$ADMIN"
fi

# lablib needs Python 3.11+: TLJH 2's user environment has 3.12 (TLJH 1 had 3.10).
"$USER_ENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "The TLJH user environment's Python is older than 3.11: upgrade TLJH to 2.x." >&2
    exit 1; }

# 2. The lab simulator and govc (govmomi v0.56.0, docker/go): built with Go from the kit's
#    tools module, or with Docker from docker/go/Dockerfile and copied out of that image.
if [ ! -x "$KIT/.build/bin/vcsim" ] && command -v go >/dev/null; then
    make -C "$KIT" sim-tools
fi
if [ -x "$KIT/.build/bin/vcsim" ]; then
    install -m 755 "$KIT/.build/bin/vcsim" "$KIT/.build/bin/govc" /usr/local/bin/
elif command -v docker >/dev/null; then
    docker build -q -t vmotion-lab-vcsim:0.1.0 "$KIT/docker/go" >/dev/null
    box=$(docker create vmotion-lab-vcsim:0.1.0)
    for tool in vcsim govc; do
        docker cp "$box:/$tool" "/usr/local/bin/$tool"
        chmod 755 "/usr/local/bin/$tool"
    done
    docker rm "$box" >/dev/null
else
    echo "Install Go >= 1.25 or Docker to get vcsim v0.56.0, then run this again." >&2
    exit 1
fi

# 3. lablib and its dependencies in the students' Python environment; the labs.
"$USER_ENV/bin/pip" install --quiet "$KIT"
install_labs
# Idle kernels are shut down after 30 minutes (the same settings as the image).
mkdir -p "$USER_ENV/etc/jupyter"
cp "$KIT/docker/jupyter_server_config.py" "$USER_ENV/etc/jupyter/jupyter_server_config.py"
cp "$KIT/docker/tljh/vmotion_lab_config.py" /opt/tljh/config/jupyterhub_config.d/

# 4. Per-student limits and idle-server culling (systemd enforces the limits: server,
#    kernels and simulator of a student together).
tljh-config set limits.memory "$MEMORY_LIMIT"
tljh-config set limits.cpu "$CPU_LIMIT"
tljh-config set services.cull.enabled true
tljh-config set services.cull.timeout "$CULL_TIMEOUT"
tljh-config set services.cull.every "$CULL_EVERY"
tljh-config set user_environment.default_app jupyterlab
tljh-config reload

copy_labs_to_every_student
echo "Done. Log in as '$ADMIN' at http://<this server>/ and add students in the admin panel."
