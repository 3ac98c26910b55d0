#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# A Linux initramfs (cpio "newc", uncompressed) of busybox and an /init script, for the
# scripts that boot Debian's kernel (tests/system/arm/linux-test.sh,
# tools/linux-dom0-date.sh). Written here so no cpio tool is needed. /dev/console is in it:
# the kernel opens it for /init before anything could mount devtmpfs, and without it a
# kernel with a console says "unable to open an initial console".
#
#   initramfs.py BUSYBOX INIT OUT [PATH=FILE ...]
#       /bin/busybox, /init (INIT's text, or a program), /dev/console, and each FILE at
#       PATH (its directories made; executable if FILE is). BUSYBOX "-": no busybox (an
#       /init that needs nothing else: tools/bench-linux-boot.sh's)
import os
import sys


def main(busybox, init, out_path, extra=()):
    out = bytearray()

    def entry(name, mode, data=b'', rdev=(0, 0)):
        nonlocal out
        n = name.encode() + b'\0'
        fields = (len(out) + 1, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(n), 0)
        out += ('070701' + ''.join('%08x' % v for v in fields)).encode() + n
        out += b'\0' * (-len(out) % 4) + data
        out += b'\0' * (-len(out) % 4)

    if busybox != '-':
        entry('bin', 0o40755)
        entry('bin/busybox', 0o100755, open(busybox, 'rb').read())
    entry('dev', 0o40755)
    entry('dev/console', 0o20600, rdev=(5, 1))
    entry('init', 0o100755, open(init, 'rb').read())
    dirs = {'dev'} if busybox == '-' else {'bin', 'dev'}
    for spec in extra:
        path, src = spec.split('=', 1)
        parts = path.strip('/').split('/')
        for i in range(1, len(parts)):
            d = '/'.join(parts[:i])
            if d not in dirs:
                dirs.add(d)
                entry(d, 0o40755)
        mode = 0o100755 if os.access(src, os.X_OK) else 0o100644
        entry('/'.join(parts), mode, open(src, 'rb').read())
    entry('TRAILER!!!', 0)
    with open(out_path, 'wb') as f:
        f.write(out)


if __name__ == '__main__':
    if len(sys.argv) < 4:
        sys.exit('usage: initramfs.py BUSYBOX INIT OUT [PATH=FILE ...]')
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])
