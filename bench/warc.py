#!/usr/bin/env python3
"""Packs the `*.html` pages under a directory into one uncompressed WARC/1.0 file, one
`response` record (HTTP headers + page) per page, for the long-archive memory run of
bench/chain.sh.

    python3 bench/warc.py PAGES_DIR OUT.warc
"""

import os
import sys
import uuid


def main() -> None:
    pages_dir, out_path = sys.argv[1], sys.argv[2]
    paths = sorted(
        os.path.join(root, name) for root, _, names in os.walk(pages_dir) for name in names if name.endswith(".html")
    )
    with open(out_path, "wb") as out:
        for number, path in enumerate(paths):
            with open(path, "rb") as handle:
                body = handle.read()
            http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode())
            block = http + body
            url = f"https://bench.dateline.invalid/warc/{number}/{os.path.basename(path)}"
            header = (
                "WARC/1.0\r\nWARC-Type: response\r\n"
                f"WARC-Record-ID: <urn:uuid:{uuid.UUID(int=number)}>\r\n"
                "WARC-Date: 2026-11-28T00:00:00Z\r\n"
                f"WARC-Target-URI: {url}\r\n"
                "Content-Type: application/http; msgtype=response\r\n"
                f"Content-Length: {len(block)}\r\n\r\n"
            ).encode()
            out.write(header + block + b"\r\n\r\n")


if __name__ == "__main__":
    main()
