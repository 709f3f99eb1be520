# Jupyter Server settings of the single-user image (docker/Dockerfile).
# A student who opens every lab leaves a kernel per notebook (each ~100 MiB, see
# BENCHMARKS.md "Classroom"): kernels idle for 30 minutes with no browser tab attached
# are shut down. The student's simulator is not a kernel and keeps running.
c = get_config()  # noqa: F821
c.MappingKernelManager.cull_idle_timeout = 1800
c.MappingKernelManager.cull_interval = 300
c.MappingKernelManager.cull_connected = False
