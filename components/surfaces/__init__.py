"""Renderers of panel models, one module per surface (desk, screen …)."""
