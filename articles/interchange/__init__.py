"""Articles in and out: readers for plain text, footnote markdown, Pandoc markdown and
MediaWiki wikitext that all produce one `ParsedArticle` (`parsed.py`), one writer that
saves it (`writer.py`), and the exports (`lossless.py`, `pandoc.py`, `cite.py`).

Readers are pure text code; the writer and the exports are the only parts that touch
the database.
"""
