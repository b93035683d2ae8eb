"""The SSRF guard: every spelling of a non-public address is refused until its network is allowed."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from baton.netguard import (
    MAX_URL_LENGTH,
    TargetPolicy,
    UnsafeTarget,
    check_url,
    parse_host_address,
    parse_networks,
    resolve_and_check,
)
from baton.settings import Settings, SettingsError

STRICT = TargetPolicy()


def allowing(*cidrs: str, http: bool = False) -> TargetPolicy:
    return TargetPolicy(allow_http=http, allow_networks=parse_networks(",".join(cidrs)))


# (URL, what the refusal says, the network that opts it in, the URL it normalizes to when allowed)
REFUSED_UNTIL_ALLOWED = [
    ("https://127.0.0.1/", "127.0.0.1 is a loopback address", "127.0.0.0/8", "https://127.0.0.1/"),
    ("https://127.42.0.9/x", "loopback", "127.0.0.0/8", "https://127.42.0.9/x"),
    ("https://2130706433/", "127.0.0.1 is a loopback", "127.0.0.0/8", "https://127.0.0.1/"),
    ("https://0x7f.1/", "127.0.0.1 is a loopback", "127.0.0.0/8", "https://127.0.0.1/"),
    ("https://0177.0.0.1/", "127.0.0.1 is a loopback", "127.0.0.0/8", "https://127.0.0.1/"),
    ("https://127.1/", "127.0.0.1 is a loopback", "127.0.0.0/8", "https://127.0.0.1/"),
    ("https://0x7f000001/", "127.0.0.1 is a loopback", "127.0.0.0/8", "https://127.0.0.1/"),
    ("https://0X7F.0.0.01:8443/", "127.0.0.1 is a loopback", "127.0.0.0/8", "https://127.0.0.1:8443/"),
    ("https://127.0.0.1./", "127.0.0.1 is a loopback", "127.0.0.0/8", "https://127.0.0.1/"),
    (
        "https://\uff11\uff12\uff17\uff0e\uff10\uff0e\uff10\uff0e\uff11/",
        "127.0.0.1 is a loopback",
        "127.0.0.0/8",
        "https://127.0.0.1/",
    ),  # full-width digits and dots, as IDNA maps them
    ("https://[::ffff:127.0.0.1]/", "127.0.0.1 is a loopback", "127.0.0.0/8", "https://127.0.0.1/"),
    ("https://[::ffff:7f00:1]/", "127.0.0.1 is a loopback", "127.0.0.0/8", "https://127.0.0.1/"),
    ("https://[::1]:9000/", "::1 is a loopback", "::1/128", "https://[::1]:9000/"),
    (
        "https://localhost/",
        "localhost resolves to 127.0.0.1, a loopback",
        "127.0.0.0/8",
        "https://localhost/",
    ),
    (
        "https://api.LOCALHOST./",
        "api.localhost resolves to 127.0.0.1",
        "127.0.0.0/8",
        "https://api.localhost/",
    ),
    ("https://10.1.2.3/", "10.1.2.3 is a private address", "10.1.0.0/16", "https://10.1.2.3/"),
    ("https://172.16.0.1/", "a private address", "172.16.0.0/12", "https://172.16.0.1/"),
    ("https://192.168.1.1/", "a private address", "192.168.0.0/16", "https://192.168.1.1/"),
    ("https://3232235777/", "192.168.1.1 is a private", "192.168.1.0/24", "https://192.168.1.1/"),
    ("https://100.64.0.1/", "carrier-grade NAT", "100.64.0.0/10", "https://100.64.0.1/"),
    ("https://[fd00::1]/", "unique local", "fc00::/7", "https://[fd00::1]/"),
    (
        "https://169.254.169.254/latest/meta-data/",
        "the cloud metadata address",
        "169.254.169.254/32",
        "https://169.254.169.254/latest/meta-data/",
    ),
    ("https://169.254.1.1/", "a link-local address", "169.254.0.0/16", "https://169.254.1.1/"),
    ("https://[fe80::1]/", "a link-local address", "fe80::/10", "https://[fe80::1]/"),
    ("https://192.0.2.7/", "a documentation address", "192.0.2.0/24", "https://192.0.2.7/"),
    ("https://[2001:db8::1]/", "a documentation address", "2001:db8::/32", "https://[2001:db8::1]/"),
    ("https://198.18.0.1/", "benchmarking", "198.18.0.0/15", "https://198.18.0.1/"),
    ("https://240.0.0.1/", "a reserved address", "240.0.0.0/4", "https://240.0.0.1/"),
    # NAT64 and 6to4 forms that carry a private IPv4 address inside
    (
        "https://[64:ff9b::7f00:1]/",
        "embedding 127.0.0.1, a loopback",
        "64:ff9b::/96",
        "https://[64:ff9b::7f00:1]/",
    ),
    (
        "https://[64:ff9b::a00:1]/",
        "embedding 10.0.0.1, a private",
        "64:ff9b::/96",
        "https://[64:ff9b::a00:1]/",
    ),
    (
        "https://[2002:a9fe:a9fe::1]/",
        "embedding 169.254.169.254, the cloud metadata",
        "2002::/16",
        "https://[2002:a9fe:a9fe::1]/",
    ),
    ("https://[64:ff9b:1::1]/", "local-use NAT64", "64:ff9b:1::/48", "https://[64:ff9b:1::1]/"),
]


@pytest.mark.parametrize(("url", "reason", "network", "normalized"), REFUSED_UNTIL_ALLOWED)
def test_non_public_targets_are_refused_until_their_network_is_allowed(
    url: str, reason: str, network: str, normalized: str
) -> None:
    with pytest.raises(UnsafeTarget) as refused:
        check_url(url, STRICT)
    assert reason in refused.value.reason
    assert "set BATON_WEBHOOK_ALLOW_NETWORKS to allow it" in refused.value.reason
    assert check_url(url, allowing(network)).url == normalized
    with pytest.raises(UnsafeTarget):  # another network opted in does not help
        check_url(url, allowing("203.0.113.0/24", "2001:db8:ffff::/48"))


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://0.0.0.0/", "0.0.0.0 is an unspecified address"),
        ("https://0/", "0.0.0.0 is an unspecified address"),
        ("https://[::]/", ":: is an unspecified address"),
        ("https://224.0.0.1/", "a multicast address"),
        ("https://[ff02::1]/", "a multicast address"),
        ("https://255.255.255.255/", "the broadcast address"),
        ("https://4294967295/", "the broadcast address"),
    ],
)
def test_unspecified_multicast_and_broadcast_are_never_allowed(url: str, reason: str) -> None:
    everything = allowing("0.0.0.0/0", "::/0")
    with pytest.raises(UnsafeTarget, match="it is never allowed") as refused:
        check_url(url, everything)
    assert reason in refused.value.reason


@pytest.mark.parametrize(
    ("url", "normalized"),
    [
        ("https://example.com/hooks/baton", "https://example.com/hooks/baton"),
        ("https://Hooks.Example.COM.:8443/a?b=c&d", "https://hooks.example.com:8443/a?b=c&d"),
        ("https://example.com", "https://example.com/"),
        ("https://b\u00fccher.example/", "https://xn--bcher-kva.example/"),
        ("https://example.com/\u00e4?x=\u00fc", "https://example.com/%C3%A4?x=%C3%BC"),
        ("https://8.8.8.8/", "https://8.8.8.8/"),
        ("https://134744072/", "https://8.8.8.8/"),  # a public address in any spelling is fine
        ("https://[2001:4860:4860::8888]:444/", "https://[2001:4860:4860::8888]:444/"),
        ("https://[64:ff9b::808:808]/", "https://[64:ff9b::808:808]/"),  # NAT64 of a public address
        ("https://my_service.internal-name.example/", "https://my_service.internal-name.example/"),
    ],
)
def test_public_targets_pass_and_are_normalized(url: str, normalized: str) -> None:
    assert check_url(url, STRICT).url == normalized


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://example.com/", "set BATON_WEBHOOK_ALLOW_HTTP"),
        ("ftp://example.com/", "must start with https://"),
        ("file:///etc/passwd", "must start with https://"),
        ("//example.com/", "must start with https://"),
        ("https://user:pw@example.com/", "user name or password"),
        ("https://user@example.com/", "user name or password"),
        ("https://example.com@127.0.0.1/", "user name or password"),
        ("https://example.com\\@127.0.0.1/", "backslash"),
        ("https://exa\tmple.com/", "whitespace"),
        ("https://example.com/\nHost: evil", "whitespace"),
        ("https://example.com/#frag", "fragment"),
        ("https:///path", "no host"),
        ("https://example.com:0/", "not a port"),
        ("https://example.com:65536/", "not a port"),
        ("https://example.com:+80/", "not a port"),
        ("https://%31%32%37.0.0.1/", "percent-encoded"),
        ("https://[fe80::1%25eth0]/", "zone"),
        ("https://example.123/", "neither a host name nor an IPv4 address"),
        ("https://1.2.3.4.5/", "neither a host name nor an IPv4 address"),
        ("https://256.1.1.1/", "neither a host name nor an IPv4 address"),
        ("https://exa$mple.com/", "not a valid host name"),
        ("https://" + "a" * 64 + ".example/", "not a valid host name"),
        ("https://example.com/" + "a" * MAX_URL_LENGTH, f"longer than {MAX_URL_LENGTH}"),
        ("", "empty"),
    ],
)
def test_malformed_urls_are_refused_with_a_reason(url: str, reason: str) -> None:
    with pytest.raises(UnsafeTarget) as refused:
        check_url(url, allowing("0.0.0.0/0"))
    assert reason in refused.value.reason


def test_http_needs_to_be_allowed() -> None:
    target = check_url("http://example.com:8080/hook", TargetPolicy(allow_http=True))
    assert (target.scheme, target.host, target.port, target.netloc) == (
        "http",
        "example.com",
        8080,
        "example.com:8080",
    )
    assert check_url("HTTP://example.com/", TargetPolicy(allow_http=True)).url == "http://example.com/"
    with pytest.raises(UnsafeTarget):  # allowing http does not allow private addresses
        check_url("http://127.0.0.1/", TargetPolicy(allow_http=True))


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("10.1.258", "10.1.1.2"),  # the last part fills the remaining bytes, like inet_aton
        ("0x7f.1", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("[::1]", "::1"),
        ("example.com", None),
        ("1.2.3.4.5", None),
        ("08.0.0.1", None),  # not octal
        ("1.256.0.0", None),
        ("4294967296", None),
        ("1_000", None),
    ],
)
def test_numeric_host_forms(host: str, address: str | None) -> None:
    parsed = parse_host_address(host)
    assert (None if parsed is None else str(parsed)) == address
    if address is not None and ":" not in host:  # the same reading as the C library's
        assert socket.inet_aton(host) == ipaddress.ip_address(address).packed


def fake_resolver(answers: dict[str, list[str]]):
    asked: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        return answers[host]

    resolve.asked = asked  # type: ignore[attr-defined]
    return resolve


async def test_a_name_that_resolves_to_loopback_is_refused_until_allowed() -> None:
    resolver = fake_resolver({"hooks.example.test": ["127.0.0.1"]})
    with pytest.raises(UnsafeTarget) as refused:
        await resolve_and_check("hooks.example.test", 443, STRICT, resolver=resolver)
    assert refused.value.reason == (
        "hooks.example.test resolves to 127.0.0.1, a loopback address; "
        "set BATON_WEBHOOK_ALLOW_NETWORKS to allow it"
    )
    policy = TargetPolicy.from_settings(Settings.from_env({"BATON_WEBHOOK_ALLOW_NETWORKS": "127.0.0.0/8"}))
    addresses = await resolve_and_check("hooks.example.test", 443, policy, resolver=resolver)
    assert addresses == [ipaddress.ip_address("127.0.0.1")]


async def test_every_resolved_address_is_checked() -> None:
    resolver = fake_resolver(
        {
            "mixed.example.test": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "10.0.0.5"],
            "public.example.test": ["93.184.215.14", "93.184.215.14", "::ffff:93.184.215.15"],
            "mapped.example.test": ["::ffff:169.254.169.254"],
            "nothing.example.test": [],
            "odd.example.test": ["not-an-address"],
        }
    )
    with pytest.raises(UnsafeTarget, match=r"resolves to 10\.0\.0\.5, a private address"):
        await resolve_and_check("mixed.example.test", 443, STRICT, resolver=resolver)
    with pytest.raises(UnsafeTarget, match=r"resolves to 169\.254\.169\.254, the cloud metadata"):
        await resolve_and_check("mapped.example.test", 443, STRICT, resolver=resolver)
    with pytest.raises(socket.gaierror):
        await resolve_and_check("nothing.example.test", 443, STRICT, resolver=resolver)
    with pytest.raises(UnsafeTarget, match="not an IP address"):
        await resolve_and_check("odd.example.test", 443, STRICT, resolver=resolver)
    # duplicates dropped, IPv4-mapped answers unwrapped to what is connected to
    assert [str(a) for a in await resolve_and_check("public.example.test", 443, resolver=resolver)] == [
        "93.184.215.14",
        "93.184.215.15",
    ]


async def test_literal_addresses_are_checked_without_a_lookup() -> None:
    resolver = fake_resolver({})
    with pytest.raises(UnsafeTarget, match=r"127\.0\.0\.1 is a loopback"):
        await resolve_and_check("0x7f.1", 80, STRICT, resolver=resolver)
    assert await resolve_and_check("::1", 80, allowing("::1"), resolver=resolver) == [
        ipaddress.ip_address("::1")
    ]
    assert resolver.asked == []  # type: ignore[attr-defined]


async def test_the_system_resolver_is_the_default() -> None:
    # localhost is answered from /etc/hosts by getaddrinfo: no traffic leaves the machine
    with pytest.raises(UnsafeTarget, match="localhost resolves to"):
        await resolve_and_check("localhost", 80)
    addresses = await resolve_and_check("localhost", 80, allowing("127.0.0.0/8", "::1"))
    assert addresses and all(address.is_loopback for address in addresses)


def test_settings_parse_and_check_the_webhook_networks() -> None:
    settings = Settings.from_env(
        {"BATON_WEBHOOK_ALLOW_NETWORKS": " 127.0.0.0/8, 10.1.0.0/16,::1 ", "BATON_WEBHOOK_ALLOW_HTTP": "yes"}
    )
    assert settings.webhook_allow_networks == "127.0.0.0/8,10.1.0.0/16,::1/128"
    policy = TargetPolicy.from_settings(settings)
    assert policy.allow_http and policy.allows(ipaddress.ip_address("10.1.200.1"))
    assert not policy.allows(ipaddress.ip_address("10.2.0.1"))
    defaults = TargetPolicy.from_settings(Settings.from_env({}))
    assert defaults == TargetPolicy(allow_http=False, allow_networks=())


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"BATON_WEBHOOK_ALLOW_NETWORKS": "10.1.2.3/16"},
            "BATON_WEBHOOK_ALLOW_NETWORKS: '10.1.2.3/16' is not a network like 10.1.0.0/16 "
            "(10.1.2.3/16 has host bits set)",
        ),
        ({"BATON_WEBHOOK_ALLOW_NETWORKS": "intranet"}, "BATON_WEBHOOK_ALLOW_NETWORKS: 'intranet' is not a"),
        ({"BATON_WEBHOOK_ALLOW_HTTP": "sometimes"}, "BATON_WEBHOOK_ALLOW_HTTP: expected true or false"),
    ],
)
def test_bad_webhook_network_settings_name_the_setting(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as error:
        Settings.from_env(env)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)
