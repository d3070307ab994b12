"""Desk: one window where a support operator works every channel."""

__version__ = "0.1.0"
