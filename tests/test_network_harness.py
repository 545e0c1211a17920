"""The tests' loopback ports: each test process's own range, a port in use skipped."""

import socket

from tests.harness import network


def test_ports_come_from_this_process_s_own_range_below_the_ephemeral_ones():
    ports = [network.free_port() for _ in range(5)]

    assert len(set(ports)) == 5
    assert all(network._BASE <= port < network._BASE + network._SPAN for port in ports)
    assert all(port < 32768 for port in ports)


def test_a_port_someone_listens_on_is_skipped():
    taken = network.free_port() + 1
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", taken))
        listener.listen()

        assert network.free_port() != taken
