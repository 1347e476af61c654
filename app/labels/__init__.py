"""Printable labels (PDF): the return label of an RMA."""

from app.labels.return_label import ReturnLabel, render_return_label

__all__ = ["ReturnLabel", "render_return_label"]
