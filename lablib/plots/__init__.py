"""Matplotlib figures for the labs."""

from .load import host_load, plot_load, vm_sizes
from .topology import greyed_objects, plot_topology

__all__ = ["plot_topology", "greyed_objects", "plot_load", "host_load", "vm_sizes"]
