"""Which addresses a server-side fetch may reach.

Editors type the URLs that the checker fetches, so a URL could aim the server
at itself, the local network or a cloud's metadata service (server-side
request forgery). Only globally routable unicast addresses are allowed;
`allow_private` (setting `SOURCE_FETCH_ALLOW_PRIVATE`, for tests) also lets
loopback and private networks through, never link-local (where cloud metadata
lives), multicast or unspecified addresses.
"""

import ipaddress

# The metadata services of the big clouds, refused even when private addresses
# are allowed (169.254.0.0/16 is link-local and refused anyway).
METADATA = {
    ipaddress.ip_address("169.254.169.254"),
    ipaddress.ip_address("169.254.170.2"),
    ipaddress.ip_address("100.100.100.200"),
    ipaddress.ip_address("fd00:ec2::254"),
}

# What SOURCE_FETCH_ALLOW_PRIVATE lets through besides loopback.
PRIVATE = [
    ipaddress.ip_network(net)
    for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
]


def plain_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """The address, with an IPv4 address inside IPv6 (::ffff:a.b.c.d, 6to4,
    Teredo) taken out so that it is judged as itself."""
    address = ipaddress.ip_address(text.split("%", 1)[0])  # drop an IPv6 zone
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if inner is not None:
            return inner
    return address


def may_fetch(text: str, allow_private: bool = False) -> bool:
    """Whether a fetch may connect to the address `text`."""
    try:
        address = plain_address(text)
    except ValueError:
        return False
    if address in METADATA or address.is_multicast or address.is_unspecified:
        return False
    if address.is_link_local:
        return False
    if allow_private and (address.is_loopback or any(address in net for net in PRIVATE)):
        return True
    return address.is_global and not address.is_reserved
