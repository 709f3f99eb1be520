"""Matplotlib figures for the labs."""
