"""Listings cost a fixed number of SOAP round trips, whatever the number of VMs."""

from lablib.capabilities import choose_backend
from lablib.facts import Facts
from lablib.inventory import Inventory

PROPS = ["name", "runtime.host", "datastore", "runtime.powerState"]


def listing_cost(conn):
    inventory = Inventory(conn)
    before = conn.round_trips
    rows = inventory.retrieve("vm", PROPS)
    return len(rows), conn.round_trips - before, rows


def test_listing_all_vms_does_not_grow_with_their_number(model_simulator):
    small = model_simulator("-cluster", "1", "-host", "2", "-vm", "5")
    large = model_simulator("-cluster", "2", "-host", "4", "-vm", "70")
    n_small, cost_small, _ = listing_cost(small)
    n_large, cost_large, rows = listing_cost(large)
    assert n_large >= 200 and n_small < 20
    assert cost_large == cost_small <= 4
    assert all(row["runtime.host"] is not None and row["datastore"] for row in rows)


def test_a_whole_lab_snapshot_is_one_listing(lab):
    before = lab.round_trips
    snap = lab.facts.snapshot()
    assert len(snap.vms) == 2 and len(snap.hosts) == 2
    assert lab.round_trips - before <= 4


def test_snapshot_cost_is_constant_on_a_large_inventory(model_simulator):
    conn = model_simulator("-cluster", "2", "-host", "4", "-vm", "70")
    inventory = Inventory(conn)
    facts = Facts(inventory, choose_backend(conn, inventory))
    facts.snapshot()  # reads the custom field keys once
    before = conn.round_trips
    assert len(facts.snapshot().vms) >= 200
    assert conn.round_trips - before == 3
