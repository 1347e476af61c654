"""The two barcode decoders behind one small interface: zxing-cpp (always there) and zbar (only where libzbar is).

Both take a greyscale Pillow image and give back :class:`Barcode` values in that image's pixel coordinates. Formats are
restricted to what chassis, FRU and box labels carry, which is both faster and safer: Code 39 is read in *standard*
mode only, because zxing-cpp's default "Full ASCII" expansion turns a serial ``SN+A12/B`` into ``SNa12"``.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import zxingcpp
from PIL import Image

Point = tuple[float, float]
Corners = tuple[Point, Point, Point, Point]
NOWHERE: Corners = ((0.0, 0.0), (0.0, 0.0), (0.0, 0.0), (0.0, 0.0))  # text that came from a keyboard, not an image

# The formats a label uses. GS1 variants are not separate formats: a GS1-128 is a Code 128, a GS1 DataMatrix a
# DataMatrix; the decoder flags them through the symbology identifier (``]C1``, ``]d2``, ``]Q3``).
_ZXING_FORMATS = zxingcpp.BarcodeFormats(
    (
        zxingcpp.BarcodeFormat.Code128,
        zxingcpp.BarcodeFormat.Code39Std,
        zxingcpp.BarcodeFormat.DataMatrix,
        zxingcpp.BarcodeFormat.QRCode,
    )
)
_ZXING_NAMES = {
    zxingcpp.BarcodeFormat.Code128: "Code128",
    zxingcpp.BarcodeFormat.Code39Std: "Code39",
    zxingcpp.BarcodeFormat.Code39: "Code39",
    zxingcpp.BarcodeFormat.DataMatrix: "DataMatrix",
    zxingcpp.BarcodeFormat.QRCode: "QRCode",
}
# Symbology identifiers (ISO/IEC 15424) that mean "the content is a GS1 element string".
GS1_IDENTIFIERS = frozenset({"]C1", "]d2", "]Q3", "]e0"})


@dataclass(frozen=True)
class Barcode:
    """One decoded symbol.

    ``text`` is the content with GS1 group separators kept as ``\\x1d`` (never the parenthesised human form), so a
    serial is read exactly as encoded. ``position`` is the four corners (top-left, top-right, bottom-right,
    bottom-left) in the coordinates of the image the caller passed in.
    """

    format: str
    text: str
    position: Corners
    gs1: bool = False
    symbology: str = ""
    decoder: str = "zxing-cpp"

    @property
    def key(self) -> tuple[str, str]:
        return (self.format, self.text)

    def moved(self, position: Corners) -> Barcode:
        return Barcode(self.format, self.text, position, self.gs1, self.symbology, self.decoder)


class Decoder(Protocol):
    name: str

    def decode(self, image: Image.Image, *, thorough: bool) -> list[Barcode]: ...


class ZxingDecoder:
    """zxing-cpp, the primary decoder: fast, reads 1D codes in rows and columns, and all four 2D formats."""

    name = "zxing-cpp"

    def __init__(self, binarizer: Any = zxingcpp.Binarizer.LocalAverage) -> None:
        self._binarizer = binarizer

    def decode(self, image: Image.Image, *, thorough: bool) -> list[Barcode]:
        # The fast pass skips the inverted (light-on-dark) retry; labels print dark on light, and it halves the cost.
        found = zxingcpp.read_barcodes(
            image,
            formats=_ZXING_FORMATS,
            try_rotate=True,
            try_downscale=True,
            try_invert=thorough,
            text_mode=zxingcpp.TextMode.Plain,
            binarizer=self._binarizer,
        )
        return [barcode for result in found if (barcode := from_zxing(result)) is not None]


def from_zxing(result: Any) -> Barcode | None:
    name = _ZXING_NAMES.get(result.format)
    if name is None or not result.valid:
        return None
    pos = result.position
    tl, tr, br, bl = (
        (float(p.x), float(p.y)) for p in (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)
    )
    identifier = str(result.symbology_identifier)
    return Barcode(
        format=name,
        text=_text_of(bytes(result.bytes), str(result.text)),
        position=(tl, tr, br, bl),
        gs1=identifier in GS1_IDENTIFIERS,
        symbology=identifier,
        decoder=ZxingDecoder.name,
    )


def _text_of(raw: bytes, fallback: str) -> str:
    """The symbol's bytes as text: UTF-8 when they are, else the decoder's own reading (ECI / Latin-1 aware)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return fallback


class ZbarDecoder:
    """zbar through pyzbar's ctypes binding: a second opinion on QR codes and 1D codes in a hard still photo.

    pyzbar's own ``decode()`` raises on symbols whose orientation zbar could not tell (it reports -1, which pyzbar's
    enum lacks), losing every other symbol in the image; so the scan loop here reads the symbols itself.
    """

    name = "zbar"
    # zbar_config_e values from zbar.h; pyzbar's enum lacks BINARY (keep QR bytes as they are, no charset guessing).
    _CFG_ENABLE, _CFG_BINARY = 0, 4
    _SYMBOLS = {128: "Code128", 39: "Code39", 64: "QRCode"}

    def __init__(self, wrapper: Any) -> None:
        self._z = wrapper
        # zbar flags GS1 (FNC1 in first position) as a modifier, not in the data; pyzbar does not bind it.
        self._modifiers = getattr(wrapper.LIBZBAR, "zbar_symbol_get_modifiers", None)
        if self._modifiers is not None:
            self._modifiers.restype = ctypes.c_uint
            self._modifiers.argtypes = [ctypes.POINTER(wrapper.zbar_symbol)]

    def decode(self, image: Image.Image, *, thorough: bool) -> list[Barcode]:
        z = self._z
        grey = image if image.mode == "L" else image.convert("L")
        width, height = grey.size
        if width == 0 or height == 0:
            return []
        pixels = ctypes.create_string_buffer(grey.tobytes(), width * height)
        scanner = z.zbar_image_scanner_create()
        try:
            z.zbar_image_scanner_set_config(scanner, 0, self._CFG_ENABLE, 0)  # symbol 0 = every symbology
            for symbol in self._SYMBOLS:
                z.zbar_image_scanner_set_config(scanner, symbol, self._CFG_ENABLE, 1)
            z.zbar_image_scanner_set_config(scanner, 64, self._CFG_BINARY, 1)
            zimage = z.zbar_image_create()
            try:
                z.zbar_image_set_format(zimage, _fourcc("Y800"))
                z.zbar_image_set_size(zimage, width, height)
                z.zbar_image_set_data(zimage, ctypes.cast(pixels, ctypes.c_void_p), width * height, None)
                if z.zbar_scan_image(scanner, zimage) <= 0:
                    return []
                return list(self._symbols(zimage))
            finally:
                z.zbar_image_destroy(zimage)
        finally:
            z.zbar_image_scanner_destroy(scanner)

    def _symbols(self, zimage: Any) -> Sequence[Barcode]:
        z = self._z
        out = []
        symbol = z.zbar_image_first_symbol(zimage)
        while symbol:
            name = self._SYMBOLS.get(symbol.contents.type)
            if name is not None:
                raw = ctypes.string_at(z.zbar_symbol_get_data(symbol), z.zbar_symbol_get_data_length(symbol))
                points = [
                    (float(z.zbar_symbol_get_loc_x(symbol, i)), float(z.zbar_symbol_get_loc_y(symbol, i)))
                    for i in range(z.zbar_symbol_get_loc_size(symbol))
                ]
                out.append(
                    Barcode(
                        format=name,
                        text=raw.decode("utf-8", errors="replace"),
                        position=_box(points),
                        gs1=self._is_gs1(symbol),
                        decoder=self.name,
                    )
                )
            symbol = z.zbar_symbol_next(symbol)
        return out

    def _is_gs1(self, symbol: Any) -> bool:
        _MOD_GS1 = 1  # 1 << ZBAR_MOD_GS1 (= 0)
        return self._modifiers is not None and bool(self._modifiers(symbol) & _MOD_GS1)


def _fourcc(code: str) -> int:
    a, b, c, d = (ord(ch) for ch in code)
    return a | (b << 8) | (c << 16) | (d << 24)


def _box(points: list[Point]) -> Corners:
    """zbar gives the scan-line hits, not corners; their bounding box is the honest position."""
    if not points:
        return NOWHERE
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    left, top, right, bottom = min(xs), min(ys), max(xs), max(ys)
    return ((left, top), (right, top), (right, bottom), (left, bottom))


_zbar: ZbarDecoder | None = None
_zbar_probed = False


def zbar_decoder() -> ZbarDecoder | None:
    """The zbar decoder, or None when libzbar is not installed (it is optional everywhere)."""
    global _zbar, _zbar_probed
    if not _zbar_probed:
        _zbar_probed = True
        try:
            from pyzbar import wrapper  # loads libzbar at import; fails without it
        except (ImportError, OSError):
            _zbar = None
        else:
            _zbar = ZbarDecoder(wrapper)
    return _zbar
