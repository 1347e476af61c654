"""Scanning: barcodes from camera frames, label photos and keyboard-wedge scanners, and the serial among them.

Pure Python (no UI): ``scan(image_bytes_or_pillow_image)`` gives every barcode and the chosen serial with the reason;
``choose_from_text`` does the same for a hand scanner's text; ``WedgeAssembler`` turns keystrokes into scans;
``ScanSession`` records a depot's scan after scan with duplicate flags and feedback.
"""

from app.scanning.decoders import Barcode
from app.scanning.pipeline import Goal, ScanResult, scan
from app.scanning.serial import SerialChoice, SerialPattern, SerialStatus, choose_from_text, choose_serial
from app.scanning.session import Feedback, ScanSession, SessionEntry
from app.scanning.wedge import WedgeAssembler, WedgeConfig

__all__ = [
    "Barcode",
    "Feedback",
    "Goal",
    "ScanResult",
    "ScanSession",
    "SerialChoice",
    "SerialPattern",
    "SerialStatus",
    "SessionEntry",
    "WedgeAssembler",
    "WedgeConfig",
    "choose_from_text",
    "choose_serial",
    "scan",
]
