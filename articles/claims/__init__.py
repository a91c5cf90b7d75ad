"""Claim-level support: the passages of sources that citations quote as support.

The syntax is in `articles.citations` (`[@key, p. 3: "passage"]`); rendering in
`articles.rendering`; `passages` lists every quoted passage of the wiki for
whatever checks them against the sources (a quote verifier).
"""
