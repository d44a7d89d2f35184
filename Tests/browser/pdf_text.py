#!/usr/bin/env python3
"""The text of a PDF that Chromium printed, in drawing order, with the standard library only.

Usage: pdf_text.py FILE.pdf     (prints the text, one text object per line)

Enough for Chromium's (Skia's) PDFs: Flate-compressed content streams, Type0 fonts with a
ToUnicode CMap, text shown with Tj/TJ/'/". Spacing is approximate (a text object per line), so
callers compare text with whitespace removed. Not a general PDF parser: no encryption, object
streams or cross-reference streams for the objects it needs (Skia writes none of those).
"""

import re
import sys
import zlib

OBJECT = re.compile(rb"(\d+)\s+(\d+)\s+obj\b(.*?)\bendobj", re.S)
STREAM = re.compile(rb"^(.*?)\bstream\r?\n(.*)\r?\nendstream\s*$", re.S)
REF = rb"(\d+)\s+\d+\s+R"


def read_objects(data):
    """{number: (dictionary bytes, decoded stream bytes or None)}"""
    objects = {}
    for match in OBJECT.finditer(data):
        body = match.group(3)
        stream = None
        found = STREAM.match(body)
        if found:
            body, raw = found.group(1), found.group(2)
            if b"/FlateDecode" in body:
                try:
                    raw = zlib.decompress(raw)
                except zlib.error:
                    try:
                        raw = zlib.decompressobj().decompress(raw)
                    except zlib.error:
                        raw = b""
            stream = raw
        objects[int(match.group(1))] = (body, stream)
    return objects


def parse_cmap(cmap):
    """A ToUnicode CMap: {glyph code bytes: text}."""
    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[bytes.fromhex(src.decode())] = utf16(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, rest in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]*>)", block):
            width = len(lo) // 2
            start, end = int(lo, 16), int(hi, 16)
            if rest.startswith(b"["):
                targets = re.findall(rb"<([0-9A-Fa-f]*)>", rest)
                for offset, dst in enumerate(targets):
                    mapping[(start + offset).to_bytes(width, "big")] = utf16(dst)
            else:
                base = int(rest[1:-1] or b"0", 16)
                digits = len(rest) - 2
                for code in range(start, end + 1):
                    value = (base + code - start).to_bytes(max(digits // 2, 2), "big")
                    mapping[code.to_bytes(width, "big")] = value.decode("utf-16-be", "replace")
    return mapping


def utf16(hexdigits):
    return bytes.fromhex(hexdigits.decode()).decode("utf-16-be", "replace") if hexdigits else ""


def resolve_dict(objects, body, key):
    """The bytes of dictionary `key` in `body`, following one indirect reference."""
    match = re.search(rb"/" + key + rb"\s*" + REF, body)
    if match:
        return objects.get(int(match.group(1)), (b"", None))[0]
    start = body.find(b"/" + key)
    if start < 0:
        return b""
    open_at = body.find(b"<<", start)
    depth, index = 0, open_at
    while index < len(body) - 1:
        pair = body[index:index + 2]
        if pair == b"<<":
            depth += 1
            index += 2
            continue
        if pair == b">>":
            depth -= 1
            index += 2
            if depth == 0:
                return body[open_at:index]
            continue
        index += 1
    return b""


def font_maps(objects, page_body):
    """{font resource name: ToUnicode mapping} for one page."""
    resources = resolve_dict(objects, page_body, b"Resources")
    fonts = resolve_dict(objects, resources, b"Font")
    maps = {}
    for name, number in re.findall(rb"/([A-Za-z0-9_.+-]+)\s+" + REF, fonts):
        font = objects.get(int(number), (b"", None))[0]
        cmap_ref = re.search(rb"/ToUnicode\s+" + REF, font)
        cmap = objects.get(int(cmap_ref.group(1)), (b"", b""))[1] if cmap_ref else None
        maps[name] = parse_cmap(cmap or b"")
    return maps


TOKEN = re.compile(rb"<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\)|\[|\]|/[^\s/\[\]()<>]+|[-+]?\d*\.?\d+|[A-Za-z'\"*]+", re.S)


def literal(token):
    """A PDF literal string's bytes (escapes resolved)."""
    raw, out, index = token[1:-1], bytearray(), 0
    while index < len(raw):
        char = raw[index]
        if char == 0x5C and index + 1 < len(raw):
            nxt = raw[index + 1]
            if 0x30 <= nxt <= 0x37:
                digits = re.match(rb"[0-7]{1,3}", raw[index + 1:index + 4]).group(0)
                out.append(int(digits, 8) & 0xFF)
                index += 1 + len(digits)
                continue
            out.append({0x6E: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12}.get(nxt, nxt))
            index += 2
            continue
        out.append(char)
        index += 1
    return bytes(out)


def decode(glyphs, mapping):
    if not mapping:
        return glyphs.decode("latin-1")
    width = len(next(iter(mapping)))
    return "".join(mapping.get(glyphs[i:i + width], "") for i in range(0, len(glyphs), width))


def page_text(content, maps):
    lines, current, font, pending_name = [], [], {}, b""
    for token in TOKEN.findall(content):
        if token.startswith(b"/"):
            pending_name = token[1:]
            continue
        if token == b"Tf":
            font = maps.get(pending_name, {})
        elif token.startswith(b"<") and token.endswith(b">"):
            current.append(decode(bytes.fromhex(re.sub(rb"\s", b"", token[1:-1]).decode()), font))
        elif token.startswith(b"("):
            current.append(decode(literal(token), font))
        elif token in (b"ET", b"T*", b"'", b'"') and current:
            lines.append("".join(current))
            current = []
    if current:
        lines.append("".join(current))
    return lines


def pdf_text(data):
    """Every page's text, in page order, one text object per line."""
    objects = read_objects(data)
    catalog = next((body for body, _ in objects.values() if re.search(rb"/Type\s*/Catalog", body)), b"")
    pages_ref = re.search(rb"/Pages\s+" + REF, catalog)
    order = []

    def walk(number):
        body = objects.get(number, (b"", None))[0]
        if re.search(rb"/Type\s*/Pages\b", body):
            kids = re.search(rb"/Kids\s*\[(.*?)\]", body, re.S)
            for kid in re.findall(REF, kids.group(1) if kids else b""):
                walk(int(kid))
        elif re.search(rb"/Type\s*/Page\b", body):
            order.append(number)

    if pages_ref:
        walk(int(pages_ref.group(1)))
    out = []
    for number in order:
        body = objects[number][0]
        maps = font_maps(objects, body)
        contents = re.search(rb"/Contents\s*(\[.*?\]|" + REF + rb")", body, re.S)
        refs = re.findall(REF, contents.group(1)) if contents else []
        stream = b"\n".join(objects.get(int(r), (b"", b""))[1] or b"" for r in refs)
        out.append("\n".join(page_text(stream, maps)))
    return out


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as handle:
        print("\n\f".join(pdf_text(handle.read())))
