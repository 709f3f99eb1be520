"""The Tasks tab and migration events, with vcsim's event slip corrected."""

from lablib import govc
from lablib.tasks import wait_all
from vmotion_setup import prepare


def test_tasks_show_state_times_and_errors(lab):
    vm = lab.vm("vm-shared")
    wait_all(lab.conn, [vm.PowerOnVM_Task()], raise_on_error=False)  # already on: an error
    listing = lab.tasks(limit=3)
    newest = listing.items[0]
    assert str(newest.name) == "Power On virtual machine" and newest.target == "vm-shared"
    assert newest.state == "error" and "InvalidPowerState" in newest.result
    assert newest.started and newest.ended
    assert len(listing.items) == 3 and "Failed" in str(listing)
    assert [t.target for t in lab.tasks("vm-local").items] == ["vm-local"] * len(
        lab.tasks("vm-local").items)


def test_task_collectors_are_destroyed(lab):
    for _ in range(40):  # vcsim allows 32 live collectors (docs/vcsim-gaps.md §4(h))
        lab.tasks(limit=1)


def test_events_name_the_real_destination(lab):
    prepare(lab)
    result = lab.migrate("vm-shared", host="ESXi_2")
    assert (result.event.source_host, result.event.destination_host) == ("ESXi_1", "ESXi_2")
    assert not result.event.simulated and result.event.kind == "VmMigratedEvent"
    listing = lab.events("vm-shared")  # the server's own: start and end of the vMotion
    assert [(e.kind, e.source_host, e.destination_host) for e in listing.items] == [
        ("VmMigratedEvent", "ESXi_1", "ESXi_2"), ("VmBeingHotMigratedEvent", "ESXi_1", "ESXi_2")]
    assert "simulated by lablib" not in str(listing)


def test_on_stock_vcsim_lablib_posts_the_corrected_event(stock_lab):
    lab = stock_lab
    prepare(lab)
    result = lab.migrate("vm-shared", host="ESXi_2")
    assert (result.event.source_host, result.event.destination_host) == ("ESXi_1", "ESXi_2")
    assert result.event.simulated and "posted by lablib" in result.event.note
    listing = lab.events("vm-shared")
    assert [(e.source_host, e.destination_host) for e in listing.items] == [
        ("ESXi_1", "ESXi_2")]  # vcsim's own event (ESXi_1 to ESXi_1) is replaced
    assert "simulated by lablib" in str(listing)


def test_events_of_migrations_made_with_govc_name_the_real_places(lab):
    prepare(lab)
    assert govc.run("govc vm.migrate -host ESXi_2 vm-shared", lab.sim_state).ok
    assert govc.run("govc vm.migrate -ds ESXi_2-local vm-shared", lab.sim_state).ok
    done = [e for e in lab.events("vm-shared").items if e.kind == "VmMigratedEvent"]
    assert [(e.source_host, e.destination_host, e.destination_datastore) for e in done] == [
        ("ESXi_2", "ESXi_2", "ESXi_2-local"), ("ESXi_1", "ESXi_2", "SharedDS")]
    assert not any(e.simulated for e in done)


def test_on_stock_vcsim_govc_migrations_are_corrected_when_listed(stock_lab):
    lab = stock_lab
    assert govc.run("govc vm.migrate -host ESXi_2 vm-shared", lab.sim_state).ok
    assert govc.run("govc vm.migrate -ds SharedDS vm-shared", lab.sim_state).ok
    events = lab.events("vm-shared").items
    assert [(e.destination_host, e.simulated) for e in events] == [("ESXi_2", True),
                                                                  ("ESXi_2", True)]
    assert events[1].source_host == "ESXi_1" and "corrected by lablib" in events[1].note
    assert lab.events(limit=1).items[0].vm == "vm-shared"
