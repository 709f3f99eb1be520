"""The pyVmomi snippets the labs show under "Under the hood" do what the text says.

A snippet that relocates a VM runs, as a student would paste it, against the lab
simulator with the VM in a resource pool of its own, as on a shared class vCenter: the
VM moves to the destination host and stays in the student's pool (issue 13: a spec with
the cluster's root pool would take it out of the student's scope).
"""

import re
from pathlib import Path

from pyVim.task import WaitForTask
from pyVmomi import vim

from lablib.exercises import prepare
from tools.labsource import render

LAB_05 = Path(__file__).resolve().parents[2] / "labs" / "src" / "05_migrate.py"


def python_snippets(path: Path, needle: str) -> list[str]:
    """Return the ```python blocks of a lab's text cells that contain `needle`."""
    blocks = []
    for cell in render(path, "en", "solution").cells:
        if cell.cell_type == "markdown":
            blocks += [b for b in re.findall(r"```python\n(.*?)```", cell.source, re.S)
                       if needle in b]
    return blocks


def test_lab_05_relocate_snippet_keeps_the_vm_in_its_pool(lab):
    prepare(lab, "05")  # vMotion on both hosts, EVC: the move is allowed
    (snippet,) = python_snippets(LAB_05, "RelocateSpec")
    vm, esxi_2 = lab.vm("vm-shared"), lab.host("ESXi_2")
    root = vm.resourcePool
    own = root.CreateResourcePool("student-1", root.config)
    WaitForTask(vm.RelocateVM_Task(spec=vim.vm.RelocateSpec(pool=own)))  # vcsim: no MoveInto
    exec(snippet, {"vim": vim, "WaitForTask": WaitForTask, "vm": vm, "esxi_2": esxi_2,
                   "print": lambda *args: None})
    assert vm.runtime.host == esxi_2
    assert vm.resourcePool == own
