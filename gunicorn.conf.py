"""gunicorn settings that every deployment wants; gunicorn reads this file from the
directory it starts in. Address and worker count stay on the command line
(docs/deploy.md)."""

import ctypes
import ctypes.util

# mallopt(3) parameter: allocations of this size or more get pages of their own.
M_MMAP_THRESHOLD = -3
LARGE_ALLOCATION = 128 * 1024


def post_fork(server, worker):
    """Return large buffers to the system as soon as they are freed.

    A long article's page is over a megabyte, and a view builds a few such strings.
    glibc raises its mmap threshold after the first one is freed, so the later ones
    come from the heap, which fragments: under load a worker grew by about 10 MB a
    second to past 150 MB (`make bench`). A fixed threshold keeps it flat near 100 MB.
    """
    libc_name = ctypes.util.find_library("c")
    if libc_name:
        mallopt = getattr(ctypes.CDLL(libc_name), "mallopt", None)  # glibc only
        if mallopt is not None:
            mallopt(M_MMAP_THRESHOLD, LARGE_ALLOCATION)
