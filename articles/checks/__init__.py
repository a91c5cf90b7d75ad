"""Checking sources: fetch each source's URL safely and politely, keep a snapshot
of what it said, verify its quote against that snapshot, and notice dead links.

- `addresses`: which IP addresses a fetch may reach (no SSRF).
- `fetching`: the fetcher (DNS vetted on every hop, byte and time caps,
  robots.txt, one request at a time per host, many hosts at once).
- `quotes`: is a quotation in a text (pure).
- `extraction`: the text of an HTML or PDF page.
- `models`: check history, snapshots, each source's current status.
- `snapshots`: WARC and text files in Django's default storage.
- `running`: check sources and record the results.
- `archive`: the Wayback Machine's Save Page Now.
- `queue`: run a check in the RQ worker, or inline without Redis.
- `dashboard`: what the maintenance page shows about checks.
"""
