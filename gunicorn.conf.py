"""gunicorn settings that every deployment wants; gunicorn reads this file from the
directory it starts in. Address and worker count stay on the command line
(docs/deploy.md)."""

import ctypes
import ctypes.util

# A response this large was built from buffers of about its size.
LARGE_RESPONSE = 256 * 1024

_libc_name = ctypes.util.find_library("c")
_malloc_trim = getattr(ctypes.CDLL(_libc_name), "malloc_trim", None) if _libc_name else None


def post_request(worker, req, environ, resp):
    """After a large page, give the memory its buffers held back to the system.

    A long article's page is over a megabyte, and a view builds a few strings of
    that size. glibc serves them from a heap that fragments: under `make bench`'s
    load on a 1.2 MB page a worker grew steadily past 150 MB. Trimming after such
    responses keeps it near 120 MB at about 70 % of the untrimmed throughput (a
    fixed mmap threshold kept memory as flat but halved it); ordinary pages are
    not affected.
    """
    # resp is None when the request could not be parsed.
    if _malloc_trim is not None and resp is not None and resp.sent >= LARGE_RESPONSE:
        _malloc_trim(0)
