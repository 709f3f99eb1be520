# JupyterHub settings TLJH loads from /opt/tljh/config/jupyterhub_config.d/ (installed by
# docker/tljh/install.sh). Each student's server finds the simulator binaries and opens on
# the labs; lablib keeps the student's simulator in ~/.local/state/vmotion-lab.
c = get_config()  # noqa: F821
c.Spawner.environment.update({
    "LAB_SIM_BIN": "/usr/local/bin/vcsim",
    "LAB_GOVC_BIN": "/usr/local/bin/govc",
    "LAB_SIM_MODE": "binary",
    "LAB_LABS_SOURCE": "/opt/tljh/user/share/vmotion-lab/labs",
})
c.Spawner.default_url = "/lab/tree/labs"
