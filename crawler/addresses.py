"""Which URLs and network addresses the crawler may fetch: the policy of the SSRF guard.

Plain Python, no Scrapy. Only `http` and `https` are fetched. An address is refused unless it is
globally routable: loopback, private (RFC 1918, unique-local `fc00::/7`), link-local, shared
(`100.64.0.0/10`), reserved, multicast, unspecified and documentation ranges are all refused, and
so are IPv6 forms that embed such an IPv4 address (`::ffff:127.0.0.1`, NAT64, 6to4). The cloud
metadata services get a reason of their own because they are the usual target.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ALLOWED_SCHEMES = frozenset({"http", "https"})

METADATA_ADDRESSES = frozenset(ipaddress.ip_address(text) for text in (
    "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle ...
    "169.254.170.2",    # AWS ECS task metadata
    "fd00:ec2::254",    # AWS IMDS over IPv6
    "100.100.100.200",  # Alibaba Cloud
    "192.0.0.192",      # Oracle Cloud (legacy)
))

NAT64 = ipaddress.ip_network("64:ff9b::/96")


def address_problem(address: str | IPAddress, allowed: Iterable[IPNetwork] = ()) -> str | None:
    """Why `address` must not be fetched (`loopback`, `private`, `metadata`, ...), or None when it may.

    Addresses inside one of the `allowed` networks may always be fetched.
    """
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if any(ip in network for network in allowed if network.version == ip.version):
        return None
    embedded = embedded_ipv4(ip)
    if embedded is not None:
        return address_problem(embedded, allowed)
    return _classify(ip)


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, NAT64, 6to4), or None."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.sixtofour


def _classify(ip: IPAddress) -> str | None:
    if ip in METADATA_ADDRESSES:
        return "metadata"
    if ip.is_loopback:
        return "loopback"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_link_local:
        return "link_local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_private:
        return "private"
    if not ip.is_global:
        return "reserved"
    return None


def scheme_problem(scheme: str) -> str | None:
    """`scheme` when the crawler must not fetch URLs of that scheme, else None."""
    return None if scheme.lower() in ALLOWED_SCHEMES else "scheme"


def literal_address(host: str) -> IPAddress | None:
    """The IP address a URL's host names literally (`127.0.0.1`, `[::1]`), or None for a name."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def parse_networks(texts: Iterable[str]) -> list[IPNetwork]:
    """Networks from CIDR texts (`10.0.0.0/8`, `127.0.0.2`); a bad text raises ValueError naming it."""
    networks = []
    for text in texts:
        try:
            networks.append(ipaddress.ip_network(text.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"not a network: {text!r} ({exc})") from exc
    return networks
