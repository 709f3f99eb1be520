"""Interactive ipywidgets panels for the labs."""
