"""The client's real address behind trusted reverse proxies: pure rules, no Django.

A proxy we trust appends the address of whoever connected to it to `X-Forwarded-For`; anything
to the left of that was written by the client and proves nothing. Read from the right, the
first address that is not one of our proxies is therefore the last one a trusted party saw:
the client. From a peer we do not trust, the header is ignored altogether.
"""

import ipaddress
from collections.abc import Iterable, Sequence

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(items: Iterable[str]) -> tuple[Network, ...]:
    """Addresses and CIDR blocks ("10.0.0.1", "10.0.0.0/8", "::1"); ValueError names the
    first one that is neither."""
    networks: list[Network] = []
    for item in items:
        text = item.strip()
        if not text:
            continue
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError:
            raise ValueError(f"adresse IP ou bloc CIDR invalide : {text!r}") from None
    return tuple(networks)


def parse_address(text: str | None) -> Address | None:
    """An address as a server or a proxy writes it: "203.0.113.7", "2001:db8::1", with or
    without a port ("203.0.113.7:4711", "[2001:db8::1]:4711"); an IPv4 address written as
    IPv6 ("::ffff:203.0.113.7") is the IPv4 one. None for anything else."""
    text = (text or "").strip()
    if not text or len(text) > 64:
        return None
    if text.startswith("["):
        closing = text.find("]")
        rest = text[closing + 1 :] if closing > 0 else ""
        if closing < 0 or (rest and not (rest[:1] == ":" and rest[1:].isdigit())):
            return None
        text = text[1:closing]
    elif text.count(":") == 1:
        text, port = text.split(":")
        if not port.isdigit():
            return None
    # A scope ("fe80::1%eth0") names the proxy's own interface, not the client.
    text = text.split("%", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, proxies: Sequence[Network]) -> bool:
    return any(address.version == network.version and address in network for network in proxies)


def real_client_address(
    peer: str | None, forwarded_for: str | None, proxies: Sequence[Network]
) -> str:
    """`peer` (REMOTE_ADDR), or, when the peer is a trusted proxy, the right-most address of
    `forwarded_for` that is not a trusted proxy. A hop that cannot be read stops the walk at
    the last address a trusted proxy wrote (a proxy writes addresses; only a client or an
    untrusted hop writes anything else). "" when the peer itself is no address."""
    current = parse_address(peer)
    if current is None:
        return ""
    if not proxies or not _trusted(current, proxies):
        return str(current)
    for hop in reversed((forwarded_for or "").split(",")):
        address = parse_address(hop)
        if address is None:
            break
        current = address
        if not _trusted(address, proxies):
            break
    return str(current)
