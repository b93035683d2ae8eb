"""The SSRF guard for webhooks: which URLs may be stored and which addresses may be reached.

Two checks, one policy. `check_url` runs when a webhook is created: it parses the URL strictly and
refuses a literal host (including the numeric forms libc and browsers accept, like `0x7f.1` or
`2130706433`) whose address is not public. `resolve_and_check` runs when a delivery connects: it
resolves the name, checks every address returned and hands back the checked ones, which are the
only addresses the transport connects to, so DNS cannot change the answer between check and use.

`BATON_WEBHOOK_ALLOW_NETWORKS` opts networks in (on-premises receivers, tests on 127.0.0.1).
Unspecified, multicast and broadcast addresses are never a receiver and stay refused even then."""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

if TYPE_CHECKING:
    from baton.settings import Settings

__all__ = [
    "MAX_URL_LENGTH",
    "IPAddress",
    "IPNetwork",
    "Resolver",
    "TargetPolicy",
    "UnsafeTarget",
    "WebhookTarget",
    "check_address",
    "check_url",
    "parse_host_address",
    "parse_networks",
    "resolve_and_check",
    "system_resolver",
]

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network
# a name and a port -> the addresses it resolves to, as text
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]

MAX_URL_LENGTH = 2048
_ALLOW_HINT = "set BATON_WEBHOOK_ALLOW_NETWORKS to allow it"
_DEFAULT_PORTS = {"http": 80, "https": 443}


class UnsafeTarget(ValueError):
    """A webhook URL or the address it resolves to must not be reached; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _networks(*pairs: tuple[str, str]) -> tuple[tuple[IPNetwork, str], ...]:
    return tuple((ipaddress.ip_network(cidr), label) for cidr, label in pairs)


# Never a receiver, whatever is allowed: these reach this host (0.0.0.0), everyone or no one.
_NEVER = _networks(
    ("0.0.0.0/8", "an unspecified address"),
    ("255.255.255.255/32", "the broadcast address"),
    ("224.0.0.0/4", "a multicast address"),
    ("::/128", "an unspecified address"),
    ("ff00::/8", "a multicast address"),
)
# Refused unless allowed. The first match names the reason, so specific ranges come first.
_REFUSED = _networks(
    ("127.0.0.0/8", "a loopback address"),
    ("10.0.0.0/8", "a private address"),
    ("172.16.0.0/12", "a private address"),
    ("192.168.0.0/16", "a private address"),
    ("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
    ("169.254.169.254/32", "the cloud metadata address"),
    ("169.254.0.0/16", "a link-local address"),
    ("192.0.0.0/24", "an IETF protocol address"),
    ("192.0.2.0/24", "a documentation address"),
    ("198.51.100.0/24", "a documentation address"),
    ("203.0.113.0/24", "a documentation address"),
    ("192.88.99.0/24", "a 6to4 relay address"),
    ("198.18.0.0/15", "a benchmarking address"),
    ("240.0.0.0/4", "a reserved address"),
    ("::1/128", "a loopback address"),
    ("::/96", "an IPv4-compatible (deprecated) address"),
    ("64:ff9b:1::/48", "a local-use NAT64 address"),
    ("100::/64", "a discard-only address"),
    ("2001::/32", "a Teredo tunnel address"),
    ("2001:db8::/32", "a documentation address"),
    ("3fff::/20", "a documentation address"),
    ("fc00::/7", "a private (unique local) address"),
    ("fe80::/10", "a link-local address"),
    ("fec0::/10", "a site-local (deprecated) address"),
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


@dataclass(frozen=True)
class TargetPolicy:
    """What webhooks may reach: https only unless `allow_http`; public addresses plus `allow_networks`."""

    allow_http: bool = False
    allow_networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings) -> TargetPolicy:
        return cls(
            allow_http=settings.webhook_allow_http,
            allow_networks=parse_networks(settings.webhook_allow_networks),
        )

    def allows(self, address: IPAddress) -> bool:
        return any(address.version == net.version and address in net for net in self.allow_networks)


@dataclass(frozen=True)
class WebhookTarget:
    """A checked URL. `url` is normalized (canonical host, encoded path); `address` is set when the
    host is a literal address, else the host is a name that is resolved at delivery time."""

    url: str
    scheme: str
    host: str
    port: int
    target: str  # path and query, what goes on the request line
    address: IPAddress | None

    @property
    def netloc(self) -> str:
        """The Host header: brackets around IPv6, the port only when not the scheme's default."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == _DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"


def parse_networks(text: str) -> tuple[IPNetwork, ...]:
    """`127.0.0.0/8,10.1.0.0/16` -> networks (a bare address is a /32 or /128); ValueError names
    the bad one."""
    networks = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        try:
            networks.append(ipaddress.ip_network(part, strict=True))
        except ValueError as exc:
            raise ValueError(f"{part!r} is not a network like 10.1.0.0/16 ({exc})") from None
    return tuple(networks)


def _embedded_ipv4(address: IPv6Address) -> IPv4Address | None:
    """The IPv4 address inside a NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address."""
    if address in _NAT64:
        return IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour


def _refusal(address: IPAddress, policy: TargetPolicy) -> tuple[str, bool] | None:
    """Why `address` may not be reached and whether allowing its network would help; None when it may."""
    for net, label in _NEVER:
        if address.version == net.version and address in net:
            return label, False
    if policy.allows(address):
        return None
    for net, label in _REFUSED:
        if address.version == net.version and address in net:
            return label, True
    if isinstance(address, IPv6Address) and (inner := _embedded_ipv4(address)) is not None:
        if (refused := _refusal(inner, TargetPolicy())) is not None:
            return f"an address embedding {inner}, {refused[0]}", True
    if not address.is_global:  # whatever else Python's registry knows to be special-purpose
        return "a special-purpose address", True
    return None


def check_address(address: IPAddress, policy: TargetPolicy, *, name: str | None = None) -> IPAddress:
    """The address to connect to (IPv4-mapped IPv6 unwrapped); UnsafeTarget when refused."""
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1 on the wire
    refused = _refusal(address, policy)
    if refused is None:
        return address
    why, allowable = refused
    subject = f"{name} resolves to {address}," if name else f"{address} is"
    raise UnsafeTarget(f"{subject} {why}; " + (_ALLOW_HINT if allowable else "it is never allowed"))


def _ipv4_number(part: str) -> int | None:
    """One part of a numeric IPv4 host as inet_aton and browsers read it: 0x hex, 0 octal, decimal."""
    if part[:2] in {"0x", "0X"}:
        digits, base, allowed = part[2:], 16, "0123456789abcdefABCDEF"
    elif len(part) > 1 and part[0] == "0":
        digits, base, allowed = part[1:], 8, "01234567"
    else:
        digits, base, allowed = part, 10, "0123456789"
    if not part or not all(c in allowed for c in digits):
        return None
    return int(digits or "0", base)


def _ends_in_number(host: str) -> bool:
    """WHATWG's test: a host whose last label is numeric must be an IPv4 address or is invalid."""
    last = host.removesuffix(".").rpartition(".")[2]
    return bool(re.fullmatch(r"[0-9]+|0[xX][0-9a-fA-F]*", last))


def parse_host_address(host: str) -> IPAddress | None:
    """The address a host spells, in any form libc or a browser accepts (`127.1`, `0x7f000001`,
    `0177.0.0.1`, `2130706433`, `::ffff:7f00:1`), or None for a name."""
    host = host.strip("[]")
    if ":" in host:
        try:
            return IPv6Address(host)
        except ValueError:
            return None
    parts = host.removesuffix(".").split(".")
    if not 1 <= len(parts) <= 4:
        return None
    numbers = [_ipv4_number(part) for part in parts]
    if any(n is None for n in numbers):
        return None
    *leading, last = numbers
    if any(n > 255 for n in leading) or last >= 256 ** (4 - len(leading)):  # type: ignore[operator]
        return None
    value = last + sum(n << (8 * (3 - i)) for i, n in enumerate(leading))  # type: ignore[operator]
    return IPv4Address(value)


def _hostname(raw: str) -> str:
    """A DNS name in lower-case ASCII (IDNA for Unicode names); UnsafeTarget when it is not one."""
    host = raw.removesuffix(".")
    if not host.isascii():
        import idna  # httpx's dependency; UTS 46 also maps full-width digits and dots

        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except idna.IDNAError as exc:
            raise UnsafeTarget(f"{raw!r} is not a valid host name ({exc})") from None
    host = host.lower()
    label = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
    if len(host) > 253 or not re.fullmatch(rf"{label}(?:\.{label})*", host):
        raise UnsafeTarget(f"{raw!r} is not a valid host name")
    return host


def _split_netloc(netloc: str) -> tuple[str, str]:
    if netloc.startswith("["):
        host, _, rest = netloc[1:].partition("]")
        if rest and not rest.startswith(":"):
            raise UnsafeTarget(f"{netloc!r} is not host[:port]")
        return f"[{host}]", rest[1:]
    host, _, port = netloc.partition(":")
    return host, port


def check_url(url: str, policy: TargetPolicy) -> WebhookTarget:
    """Parse and check a webhook URL; UnsafeTarget with a reason a person can act on.

    Names are not resolved here (they are at every delivery), except that `localhost` and
    `*.localhost` are checked as 127.0.0.1, what they always mean (RFC 6761)."""
    if not isinstance(url, str) or not url:
        raise UnsafeTarget("the URL is empty")
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeTarget(f"the URL is longer than {MAX_URL_LENGTH} characters")
    # parsers disagree on these (urlsplit drops tabs and newlines, browsers read \ as /)
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 or c == "\\" for c in url):
        raise UnsafeTarget("the URL contains whitespace, a control character or a backslash")
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise UnsafeTarget(f"the URL cannot be parsed ({exc})") from None
    scheme = parts.scheme.lower()
    allowed = ("http", "https") if policy.allow_http else ("https",)
    if scheme not in allowed:
        hint = "; set BATON_WEBHOOK_ALLOW_HTTP to allow http" if scheme == "http" else ""
        raise UnsafeTarget(f"the URL must start with {' or '.join(s + '://' for s in allowed)}{hint}")
    if "@" in parts.netloc:
        raise UnsafeTarget("the URL must not contain a user name or password (user:password@)")
    if "#" in url:
        raise UnsafeTarget("the URL must not contain a fragment (#…); it is never sent")
    raw_host, raw_port = _split_netloc(parts.netloc)
    if not raw_host:
        raise UnsafeTarget("the URL has no host")
    if "%" in raw_host:
        raise UnsafeTarget("the host must not be percent-encoded or carry an IPv6 zone")
    if raw_port and not (raw_port.isascii() and raw_port.isdigit() and 1 <= int(raw_port) <= 65535):
        raise UnsafeTarget(f"{raw_port!r} is not a port (1 to 65535)")
    port = int(raw_port) if raw_port else _DEFAULT_PORTS[scheme]

    if raw_host.startswith("["):
        address = parse_host_address(raw_host)
        if not isinstance(address, IPv6Address):
            raise UnsafeTarget(f"{raw_host!r} is not an IPv6 address")
        host = str(address)
    else:
        host = raw_host.removesuffix(".")
        if not _ends_in_number(host):
            host = _hostname(raw_host)
        if _ends_in_number(host):  # also a Unicode name that IDNA maps to digits
            address = parse_host_address(host)
            if address is None:
                raise UnsafeTarget(f"{raw_host!r} is neither a host name nor an IPv4 address")
            host = str(address)
        else:
            address = None
    if address is not None:
        address = check_address(address, policy)
        host = str(address)
    elif host == "localhost" or host.endswith(".localhost"):
        check_address(IPv4Address("127.0.0.1"), policy, name=host)

    target = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        target += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    netloc = f"[{host}]" if ":" in host else host
    if raw_port:
        netloc += f":{port}"
    url = f"{scheme}://{netloc}{target}"
    return WebhookTarget(url=url, scheme=scheme, host=host, port=port, target=target, address=address)


async def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives for `host` (getaddrinfo, off the event loop)."""
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    return [str(info[4][0]) for info in infos]


async def resolve_and_check(
    host: str, port: int, policy: TargetPolicy | None = None, *, resolver: Resolver | None = None
) -> list[IPAddress]:
    """The addresses to connect to for `host`, every one checked: UnsafeTarget if any is refused
    (a name that mixes public and private answers is refused whole). A literal address is only
    checked; a failed lookup raises OSError (socket.gaierror)."""
    policy = policy or TargetPolicy()
    literal = parse_host_address(host)
    if literal is not None:
        return [check_address(literal, policy)]
    answers = await (resolver or system_resolver)(host, port)
    checked: list[IPAddress] = []
    for answer in answers:
        try:
            address = ipaddress.ip_address(answer)
        except ValueError:
            raise UnsafeTarget(f"{host} resolves to {answer!r}, which is not an IP address") from None
        address = check_address(address, policy, name=host)
        if address not in checked:
            checked.append(address)
    if not checked:
        raise socket.gaierror(socket.EAI_NONAME, f"{host} resolves to no address")
    return checked
