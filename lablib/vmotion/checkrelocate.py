"""vCenter's own migration check, CheckRelocate_Task, shown next to lablib's rules.

`vmProvisioningChecker.CheckRelocate_Task(vm, spec, testType)` returns one
`vim.vm.check.Result` per check with `error` and `warning` faults (vsphere-facts.md §3).
vcsim's always answers "no problem" (vcsim-gaps.md §4(d)), so lablib asks it only on a
real vCenter; the code path itself is the same for both.
"""

from __future__ import annotations


from ..errors import TaskTimeout
from ..i18n import tr
from ..tasks import fault_text, wait
from .findings import Finding
from .spec import relocate_spec

TEST_TYPES = ["sourceTests", "hostTests", "resourcePoolTests", "datastoreTests",
              "networkTests"]
RULE = "vCenter CheckRelocate"


def vcenter_findings(lab, plan, timeout: float = 120) -> list[Finding]:
    """Return what vCenter's CheckRelocate_Task says about `plan`, as Findings."""
    checker = lab.conn.content.vmProvisioningChecker
    task = checker.CheckRelocate_Task(vm=plan.vm, spec=relocate_spec(lab, plan),
                                      testType=TEST_TYPES)
    found = []
    for result in _outcome(lab.conn, task, timeout) or []:
        found += [_finding(fault, ok=False) for fault in result.error or []]
        found += [_finding(fault, ok=True) for fault in result.warning or []]
    return found or [Finding(RULE, True, tr("no error, no warning", "aucune erreur, aucun "
                                            "avertissement"), source="vCenter")]


def _finding(fault, ok: bool) -> Finding:
    text = fault_text(fault)
    label = tr("warning: ", "avertissement : ") if ok else ""
    return Finding(RULE, ok, label + text, fault=fault, source="vCenter", warning=ok,
                   english=(text, "", ""))


def _outcome(conn, task, timeout: float):
    """Wait for the checker's task and return its result."""
    try:
        return wait(conn, task, timeout).result
    except TaskTimeout:
        raise TaskTimeout(f"vCenter's CheckRelocate_Task did not finish within "
                          f"{timeout:g} s.") from None
