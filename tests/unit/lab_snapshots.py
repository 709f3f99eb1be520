"""Facts snapshots built by hand, for the figure and widget tests that need no server.

`course()` is the course's lab in its initial state (docs/design.md §4); its arguments
change what a lab step would change, so a test can draw before/after states.
"""

from lablib.facts import ClusterFacts, DatastoreFacts, HostFacts, Snapshot, VmFacts

HOSTS = {"ESXi_1": ("192.168.1.170", "intel-icelake"),
         "ESXi_2": ("192.168.1.172", "intel-cascadelake")}
DATASTORES = {"ESXi_1-local": ("ESXi_1",), "SharedDS": ("ESXi_1", "ESXi_2"),
              "ESXi_2-local": ("ESXi_2",)}
HOST_SIMULATED = frozenset({"mgmt_ip", "cpu_vendor", "cpu_model", "max_evc", "vmotion_vmks"})


def course(*, vmotion=(), evc="", maintenance=(), vms=None, simulated=True) -> Snapshot:
    """Return the course lab: vMotion on the hosts in `vmotion`, VMs as `vms` says.

    Args:
        vmotion: host names with vMotion enabled on vmk0.
        evc: the cluster's EVC mode ("" = off).
        maintenance: host names in maintenance mode.
        vms: {name: (host, datastore, power_state)}; the course's two VMs by default.
        simulated: mark the overlay values as simulated (public image) or real.
    """
    vms = vms or {"vm-shared": ("ESXi_1", "SharedDS", "poweredOn"),
                  "vm-local": ("ESXi_1", "ESXi_1-local", "poweredOn")}
    hosts = [HostFacts(obj=None, name=name, cluster="Cluster", mgmt_ip=ip, cpu_vendor="intel",
                       cpu_model="Intel(R) Xeon(R)", max_evc=max_evc,
                       vmotion_vmks=("vmk0",) if name in vmotion else (), vmknics=("vmk0",),
                       datastores=tuple(sorted(d for d, on in DATASTORES.items() if name in on)),
                       networks=("VM Network",), connection_state="connected",
                       in_maintenance=name in maintenance,
                       simulated=HOST_SIMULATED if simulated else frozenset())
             for name, (ip, max_evc) in HOSTS.items()]
    datastores = [DatastoreFacts(obj=None, name=name, hosts=on, kind="VMFS",
                                 capacity_gb=1024.0 * len(on), free_gb=1000.0)
                  for name, on in sorted(DATASTORES.items())]
    vm_facts = [VmFacts(obj=None, name=name, host=host, datastores=(ds,),
                        networks=("VM Network",), power_state=power,
                        files=f"[{ds}] {name}/{name}.vmx", cpu_baseline="intel-icelake",
                        simulated=frozenset({"cpu_baseline"}) if simulated else frozenset())
                for name, (host, ds, power) in sorted(vms.items())]
    clusters = [ClusterFacts(obj=None, name="Cluster", evc_mode=evc, drs_enabled=True,
                             drs_behavior="manual", hosts=tuple(HOSTS),
                             simulated=frozenset({"evc_mode"}) if simulated else frozenset())]
    return Snapshot(hosts=hosts, vms=vm_facts, datastores=datastores, clusters=clusters)
