"""Registrable domains (`big5.cctv.com` -> `cctv.com`): what the register rates."""

import tldextract

# The public suffix list shipped with tldextract: never fetched from the network.
DOMAINS = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registrable_domain(url_or_host: str) -> str:
    """The registrable domain of a URL or host name, lower case; empty when there
    is none (no URL, an IP address, a bare public suffix)."""
    text = (url_or_host or "").strip().lower()
    if not text:
        return ""
    if "://" not in text:
        text = "//" + text  # a bare host: let tldextract read it as one
    return DOMAINS(text).top_domain_under_public_suffix
