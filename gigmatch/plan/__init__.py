"""Staffing plans: the model of who can do what, and the optimiser."""
