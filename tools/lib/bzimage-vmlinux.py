#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The ELF vmlinux inside an x86 bzImage, by the boot protocol's setup header.

A bzImage (Documentation/arch/x86/boot.rst, protocol >= 2.08) is real-mode setup code,
then protected-mode code whose payload is the compressed ELF vmlinux: it starts at
payload_offset (0x248) into the protected-mode part, which starts after setup_sects (0x1f1;
0 means 4) 512-byte sectors plus the boot sector, and is payload_length (0x24c) bytes long,
the last 4 of which are the uncompressed size. The ELF keeps the kernel's PVH entry note
(XEN_ELFNOTE_PHYS32_ENTRY), which is what minixen's loader wants; the decompressor stub
around it is of no use to a PVH loader. Nothing is guessed: a file that is not a bzImage,
an unknown compression or a payload that does not decompress to an ELF is an error.

    bzimage-vmlinux.py BZIMAGE OUT
"""
import gzip
import lzma
import struct
import subprocess
import sys


def fail(msg):
    sys.exit(f"bzimage-vmlinux: {msg}")


def payload(img):
    if len(img) < 0x250 or img[0x202:0x206] != b"HdrS":
        fail("no bzImage setup header ('HdrS' at 0x202)")
    version = struct.unpack_from("<H", img, 0x206)[0]
    if version < 0x208:
        fail(f"boot protocol {version:#x} has no payload fields (needs 2.08)")
    setup_sects = img[0x1F1] or 4
    offset, length = struct.unpack_from("<II", img, 0x248)
    start = (setup_sects + 1) * 512 + offset
    if length < 4 or start + length > len(img):
        fail(f"payload {start:#x}+{length:#x} outside the {len(img):#x}-byte file")
    return img[start : start + length]


def decompress(data):
    # The trailing 4 bytes are the size; every format below stops at its own end.
    size = struct.unpack_from("<I", data, len(data) - 4)[0]
    body = data[:-4]
    if body[:2] == b"\x1f\x8b":
        out = gzip.decompress(body)
    elif body[:6] == b"\xfd7zXZ\x00":
        out = lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(body)
    elif body[:4] == b"\x28\xb5\x2f\xfd":
        out = subprocess.run(["zstd", "-dc"], input=body, capture_output=True, check=True).stdout
    elif body[:4] == b"\x02\x21\x4c\x18":
        out = subprocess.run(["lz4", "-dc"], input=body, capture_output=True, check=True).stdout
    elif body[:3] == b"\x5d\x00\x00":
        out = lzma.LZMADecompressor(format=lzma.FORMAT_ALONE).decompress(body)
    else:
        fail(f"unknown payload compression (starts {body[:6].hex()})")
    if len(out) != size:
        fail(f"payload decompressed to {len(out)} bytes, the header says {size}")
    if out[:4] != b"\x7fELF":
        fail("payload is no ELF")
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1].strip())
    with open(sys.argv[1], "rb") as f:
        img = f.read()
    with open(sys.argv[2], "wb") as f:
        f.write(decompress(payload(img)))


main()
