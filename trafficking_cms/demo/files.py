"""Small generated files for the demo's attachments: a one-page PDF and a PNG, made without any library."""

import struct
import zlib


def pdf(*lines: str) -> bytes:
    """A valid one-page PDF showing the given lines (ASCII) in Helvetica."""
    text = "BT /F1 14 Tf 56 780 Td 18 TL " + " ".join(f"({_pdf_escape(line)}) '" for line in lines) + " ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text.encode("ascii")),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _pdf_escape(line: str) -> str:
    return line.encode("ascii", "replace").decode().replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def png(width: int = 240, height: int = 160, *, seed: int = 0) -> bytes:
    """A valid PNG: soft diagonal stripes, different for each seed (a stand-in for a photo or a scan)."""
    light = bytes((180 + seed * 23 % 60, 190 + seed * 41 % 50, 200 + seed * 17 % 40))
    dark = bytes(channel - 30 for channel in light)
    rows = b"".join(
        b"\x00" + b"".join(dark if (x + y + seed * 7) // 12 % 2 else light for x in range(width))  # filter 0: none
        for y in range(height)
    )
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + _chunk(b"IDAT", zlib.compress(rows, 9))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
