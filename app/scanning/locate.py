"""Where the 1D symbols are in a large photo, and at what angle.

Raw decoders scan rows and columns, so a long barcode held 8° off level is crossed by no scan line from end to end,
and a label that fills a tenth of a 12 MP frame is a few hundred pixels in a sea of rack. This finds bar-code regions
the way the best readers do: per small tile, the structure tensor of the image gradient says how strong the edges are
(energy), how much they agree in direction (coherence: bars all run one way, text and 2D codes do not) and whether
their signs alternate (bars: dark-light-dark; a single rail or cable edge does not). Neighbouring bar-like tiles of
one angle form a region; each region gets its angle and extent across and along the bars, so it can be rectified and
decoded at the right scale (``linear.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image

TILE = 8  # px of the analysis image; a symbol of the smallest legible size spans a few tiles across
_COHERENCE = 0.55
_ALTERNATION = 0.45
_SAME_ANGLE = math.radians(14)
# Neighbours up to two tiles away join a region: a tile inside a wide bar or space has no edges, and must not split
# a symbol in two (each half too short to decode).
_REACH = (-2, -1, 0, 1, 2)


@dataclass(frozen=True)
class Region:
    """A bar-code candidate in analysis-image pixels: its centre, the unit normal to its bars (``across``), half
    its extent across and along the bars, and how many tiles it covers."""

    cx: float
    cy: float
    angle: float  # radians of the normal to the bars (across), in [-pi/2, pi/2)
    half_across: float
    half_along: float
    tiles: int

    @property
    def degrees(self) -> float:
        return math.degrees(self.angle)


def find_regions(image: np.ndarray, *, max_regions: int = 8) -> list[Region]:
    """Bar-code regions in a greyscale image (2D array), largest first."""
    grey = image.astype(np.float32)
    rows, cols = grey.shape[0] // TILE, grey.shape[1] // TILE
    if rows < 2 or cols < 2:
        return []
    grey = grey[: rows * TILE, : cols * TILE]
    gx = np.zeros_like(grey)
    gy = np.zeros_like(grey)
    gx[:, 1:-1] = grey[:, 2:] - grey[:, :-2]
    gy[1:-1, :] = grey[2:, :] - grey[:-2, :]

    def per_tile(values: np.ndarray) -> np.ndarray:
        # The mean over each tile; Pillow's reduce on a float image is several times faster than numpy's sum.
        return np.asarray(Image.fromarray(np.ascontiguousarray(values, dtype=np.float32), "F").reduce(TILE), np.float64)

    jxx, jyy, jxy = per_tile(gx * gx), per_tile(gy * gy), per_tile(gx * gy)
    energy = jxx + jyy + 1e-6
    coherence = np.sqrt((jxx - jyy) ** 2 + 4 * jxy**2) / energy
    theta = 0.5 * np.arctan2(2 * jxy, jxx - jyy)  # the dominant gradient direction: across the bars
    # Signed gradient along theta, summed, against its magnitude: bars alternate (near 0), a lone edge does not (1).
    along = per_tile(gx) * np.cos(theta) + per_tile(gy) * np.sin(theta)
    magnitude = per_tile(np.abs(gx)) * np.abs(np.cos(theta)) + per_tile(np.abs(gy)) * np.abs(np.sin(theta)) + 1e-6
    alternation = np.abs(along) / magnitude
    strength = energy
    floor = max(60.0, 0.08 * float(np.percentile(strength, 99.5)))
    bar_like = (coherence > _COHERENCE) & (alternation < _ALTERNATION) & (strength > floor)
    return _regions(bar_like, theta, jxx, jyy, jxy, max_regions)


def _regions(
    mask: np.ndarray, theta: np.ndarray, jxx: np.ndarray, jyy: np.ndarray, jxy: np.ndarray, max_regions: int
) -> list[Region]:
    rows, cols = mask.shape
    seen = np.zeros_like(mask)
    found: list[Region] = []
    for r0, c0 in zip(*np.nonzero(mask), strict=True):
        if seen[r0, c0]:
            continue
        seen[r0, c0] = True
        members, stack = [], [(int(r0), int(c0))]
        while stack:
            r, c = stack.pop()
            members.append((r, c))
            for dr in _REACH:
                for dc in _REACH:
                    rr, cc = r + dr, c + dc
                    if 0 <= rr < rows and 0 <= cc < cols and mask[rr, cc] and not seen[rr, cc]:
                        if _angle_gap(float(theta[rr, cc]), float(theta[r, c])) < _SAME_ANGLE:
                            seen[rr, cc] = True
                            stack.append((rr, cc))
        if len(members) >= 3 and (region := _region(members, jxx, jyy, jxy)).half_across >= 2 * TILE:
            found.append(region)  # narrower across the bars is a rail or a cable's two edges, not a symbol
    merged = _merge_collinear(found)
    merged.sort(key=lambda g: g.tiles, reverse=True)
    return merged[:max_regions]


def _merge_collinear(regions: list[Region]) -> list[Region]:
    """Pieces of one symbol joined: perspective turns its bars a little from end to end, and a blurred stretch can
    break the tiles' chain; pieces at about one angle, in line across the bars and close, are one region."""
    out = list(regions)
    merged = True
    while merged:
        merged = False
        for i, a in enumerate(out):
            for j in range(i + 1, len(out)):
                if (joined := _joined(a, out[j])) is not None:
                    out[i] = joined
                    del out[j]
                    merged = True
                    break
            if merged:
                break
    return out


def _joined(a: Region, b: Region) -> Region | None:
    if _angle_gap(a.angle, b.angle) > math.radians(10):
        return None
    nx, ny = math.cos(a.angle), math.sin(a.angle)
    dx, dy = b.cx - a.cx, b.cy - a.cy
    d_across, d_along = dx * nx + dy * ny, -dx * ny + dy * nx
    # The gap between the pieces: a few tiles, or a fifth of their length (a glare or a smudge across the bars).
    gap = 3 * TILE + 0.2 * (a.half_across + b.half_across)
    if abs(d_along) > 0.75 * max(a.half_along, b.half_along) or abs(d_across) > a.half_across + b.half_across + gap:
        return None
    lo = min(-a.half_across, d_across - b.half_across)
    hi = max(a.half_across, d_across + b.half_across)
    mid = (lo + hi) / 2
    weight = a.tiles / (a.tiles + b.tiles)
    angle = a.angle + (1 - weight) * ((b.angle - a.angle + math.pi / 2) % math.pi - math.pi / 2)
    return Region(
        cx=a.cx + mid * nx,
        cy=a.cy + mid * ny,
        angle=angle,
        half_across=(hi - lo) / 2,
        half_along=max(a.half_along, b.half_along),
        tiles=a.tiles + b.tiles,
    )


def _angle_gap(a: float, b: float) -> float:
    gap = abs(a - b) % math.pi
    return min(gap, math.pi - gap)


def _region(members: list[tuple[int, int]], jxx: np.ndarray, jyy: np.ndarray, jxy: np.ndarray) -> Region:
    idx = tuple(np.array(members).T)
    angle = 0.5 * math.atan2(2 * float(jxy[idx].sum()), float((jxx[idx] - jyy[idx]).sum()))
    ys = (np.array([m[0] for m in members], dtype=np.float64) + 0.5) * TILE
    xs = (np.array([m[1] for m in members], dtype=np.float64) + 0.5) * TILE
    nx, ny = math.cos(angle), math.sin(angle)
    across = xs * nx + ys * ny
    along = -xs * ny + ys * nx
    a0, a1, b0, b1 = float(across.min()), float(across.max()), float(along.min()), float(along.max())
    ca, cb = (a0 + a1) / 2, (b0 + b1) / 2
    return Region(
        cx=ca * nx - cb * ny,
        cy=ca * ny + cb * nx,
        angle=angle,
        half_across=(a1 - a0) / 2 + TILE / 2,
        half_along=(b1 - b0) / 2 + TILE / 2,
        tiles=len(members),
    )
