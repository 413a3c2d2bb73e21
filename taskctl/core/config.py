"""Layered configuration (being written)."""
