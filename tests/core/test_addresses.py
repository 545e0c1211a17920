"""The real client's address (core/addresses.py, core.security.client_address): the peer,
unless the peer is a trusted proxy; then the right-most forwarded address that is not one."""

import pytest
from django.test import RequestFactory

from reclamations.core.addresses import parse_address, parse_networks, real_client_address
from reclamations.core.security import client_address
from tests.harness.settings_process import start_refusal

PROXIES = parse_networks(["10.0.0.0/8", "2001:db8:ff::/48", "192.0.2.1"])


def test_the_peer_is_the_client_when_nobody_is_trusted():
    assert real_client_address("203.0.113.7", "198.51.100.9", ()) == "203.0.113.7"


def test_a_forwarded_address_from_an_untrusted_peer_changes_nothing():
    assert real_client_address("203.0.113.7", "198.51.100.9", PROXIES) == "203.0.113.7"


def test_the_forwarded_address_is_the_client_behind_a_trusted_proxy():
    assert real_client_address("10.0.0.2", "198.51.100.9", PROXIES) == "198.51.100.9"


def test_the_right_most_untrusted_hop_is_the_client_through_several_proxies():
    # The client claims 1.1.1.1; its real address is the one our outer proxy wrote.
    forwarded = "1.1.1.1, 198.51.100.9, 192.0.2.1, 10.1.2.3"

    assert real_client_address("10.0.0.2", forwarded, PROXIES) == "198.51.100.9"


def test_a_client_spoofing_a_trusted_address_on_the_left_gains_nothing():
    assert real_client_address("10.0.0.2", "10.9.9.9, 198.51.100.9", PROXIES) == "198.51.100.9"


def test_ipv6_clients_and_proxies():
    assert real_client_address("2001:db8:ff::1", "2001:db8:1::42", PROXIES) == "2001:db8:1::42"
    assert real_client_address("2001:db8:1::42", "198.51.100.9", PROXIES) == "2001:db8:1::42"


def test_an_ipv4_address_written_as_ipv6_is_the_ipv4_one():
    assert real_client_address("::ffff:10.0.0.2", "198.51.100.9", PROXIES) == "198.51.100.9"
    assert real_client_address("10.0.0.2", "::ffff:198.51.100.9", PROXIES) == "198.51.100.9"


def test_ports_and_brackets_are_read():
    assert real_client_address("10.0.0.2", "198.51.100.9:4711", PROXIES) == "198.51.100.9"
    assert real_client_address("10.0.0.2", "[2001:db8:1::42]:4711", PROXIES) == "2001:db8:1::42"


@pytest.mark.parametrize(
    "forwarded", ["", "   ", "unknown", "garbage, , ;", "300.1.1.1", "[2001:db8::1", "1.2.3.4:x"]
)
def test_a_header_that_cannot_be_read_leaves_the_proxy_as_the_client(forwarded):
    assert real_client_address("10.0.0.2", forwarded, PROXIES) == "10.0.0.2"


def test_garbage_left_of_a_readable_hop_is_ignored():
    assert real_client_address("10.0.0.2", "<script>, 198.51.100.9", PROXIES) == "198.51.100.9"


def test_garbage_between_trusted_hops_stops_at_the_last_trusted_one():
    assert real_client_address("10.0.0.2", "198.51.100.9, nonsense, 10.1.2.3", PROXIES) == (
        "10.1.2.3"
    )


def test_only_trusted_hops_give_the_farthest_of_them():
    assert real_client_address("10.0.0.2", "10.3.3.3, 10.1.2.3", PROXIES) == "10.3.3.3"


def test_a_peer_that_is_no_address_gives_nothing():
    assert real_client_address("", "198.51.100.9", PROXIES) == ""
    assert real_client_address(None, None, PROXIES) == ""


def test_parse_address_refuses_what_is_not_an_address():
    assert parse_address("x" * 100) is None
    assert parse_address("fe80::1%eth0") is not None
    assert str(parse_address("fe80::1%eth0")) == "fe80::1"


def test_parse_networks_names_a_wrong_entry():
    with pytest.raises(ValueError) as raised:
        parse_networks(["10.0.0.1", "10.0.0.0/33"])

    assert str(raised.value) == "adresse IP ou bloc CIDR invalide : '10.0.0.0/33'"


def test_client_address_trusts_nobody_by_default(settings):
    settings.RECLAMATIONS_TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9")

    assert client_address(request) == "10.0.0.2"


def test_client_address_reads_the_header_of_a_listed_proxy(settings):
    settings.RECLAMATIONS_TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.9"
    )

    assert client_address(request) == "198.51.100.9"
    assert client_address(None) == ""


def test_a_wrong_trusted_proxies_setting_stops_the_start(tmp_path):
    refusal = start_refusal(tmp_path, RECLAMATIONS_TRUSTED_PROXIES="10.0.0.1, proxy.example")

    assert refusal == (
        "RECLAMATIONS_TRUSTED_PROXIES : adresse IP ou bloc CIDR invalide : 'proxy.example'."
    )
