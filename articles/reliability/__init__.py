"""The source reliability register: ratings by registrable domain or per source.

`models` holds the ratings and finds the one that applies to each source;
`warnings` tells editors when a text cites a source rated unreliable or
deprecated (live preview, admin save, maintenance page); `admin` is where
Editors keep the register.
"""
