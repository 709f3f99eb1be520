"""Matplotlib figures for the labs."""

from .load import host_load, plot_load, vm_sizes
from .topology import greyed_objects, plot_topology

__all__ = ["greyed_objects", "host_load", "plot_load", "plot_topology", "vm_sizes"]
