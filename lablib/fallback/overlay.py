"""State vcsim cannot hold, kept in the simulator itself as custom fields.

vcsim v0.56 has no API for a host's management IP, CPU vendor and generation, the
vMotion service of a VMkernel adapter, or cluster EVC (docs/vcsim-gaps.md §4(a), (b), (k)).
lablib keeps those facts as `vmotionlab.*` custom fields (CustomFieldsManager.SetField
works on every entity, docs/vcsim-gaps.md §4(g)), so they survive a kernel restart, every
notebook and the CLI see the same values, and `govc fields.info` shows them.
On a real vCenter nothing is written here: the real properties are read instead.
"""

from __future__ import annotations

from pyVmomi import vim

PREFIX = "vmotionlab."

#: Field name -> the kind of object it describes.
FIELDS = {
    "mgmt_ip": vim.HostSystem,        # vmk0's address, as in the course (192.168.1.170/172)
    "cpu_vendor": vim.HostSystem,     # "intel" or "amd"
    "cpu_model": vim.HostSystem,      # the CPU a real host of that generation would have
    "max_evc": vim.HostSystem,        # the most featureful EVC mode the CPU supports
    "vmotion_vmks": vim.HostSystem,   # VMkernel adapters with the vMotion service, "vmk0,vmk1"
    "evc_mode": vim.ClusterComputeResource,  # the cluster's EVC mode, "" when EVC is off
    "cpu_baseline": vim.VirtualMachine,      # CPU features the VM was powered on with
    "baseline_boot": vim.VirtualMachine,     # bootTime the baseline belongs to
}


class Overlay:
    """Read and write the `vmotionlab.*` custom fields of one simulator."""

    def __init__(self, conn):
        self.conn = conn
        self._keys: dict[str, int] | None = None

    @property
    def manager(self):
        """Return the server's CustomFieldsManager."""
        return self.conn.content.customFieldsManager

    def keys(self) -> dict[str, int]:
        """Return {field name without prefix: key} for the fields that exist."""
        if self._keys is None:
            self._keys = {f.name[len(PREFIX):]: f.key for f in self.manager.field or []
                          if f.name.startswith(PREFIX)}
        return self._keys

    def define_fields(self) -> None:
        """Create the field definitions that do not exist yet."""
        keys = self.keys()
        for name, mo_type in FIELDS.items():
            if name not in keys:
                keys[name] = self.manager.AddCustomFieldDef(name=PREFIX + name,
                                                            moType=mo_type).key

    def set(self, entity, name: str, value: str) -> None:
        """Set field `name` of `entity` to `value` (a string; "" clears it)."""
        if name not in self.keys():
            self.define_fields()
        self.manager.SetField(entity=entity, key=self.keys()[name], value=str(value))

    def decode(self, custom_values) -> dict[str, str]:
        """Return {field name: value} from an entity's `customValue` list."""
        names = {key: name for name, key in self.keys().items()}
        return {names[cv.key]: cv.value for cv in custom_values or []
                if cv.key in names and cv.value != ""}

    def get(self, entity, name: str, default: str = "") -> str:
        """Return the value of field `name` on `entity`."""
        return self.decode(entity.customValue).get(name, default)
