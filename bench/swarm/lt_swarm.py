"""One libtorrent seeder and N downloaders of one file, each an own session in this process, all on 127.0.0.1.

Every session limits its upload to --rate bytes/s. libtorrent puts loopback peers in its "local" peer class,
which no rate limit applies to, so every address is mapped to the global class instead; uTP is off (TCP only),
as are DHT, LSD, UPnP and NAT-PMP. Peers find each other by connect_peer (every downloader to the seeder and
to every other downloader), no tracker. Prints one JSON object: libtorrent version, seconds until the last
downloader finished, each downloader's finish time and its file path, and the CPU seconds this process
used from adding the downloaders' torrents until the last finished.
"""

import argparse
import json
import os
import resource
import sys
import time

import libtorrent as lt


def make_session(rate: int) -> lt.session:
    settings = {
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "enable_incoming_utp": False,
        "enable_outgoing_utp": False,
        "enable_incoming_tcp": True,
        "enable_outgoing_tcp": True,
        "allow_multiple_connections_per_ip": True,
        "upload_rate_limit": rate,
        "alert_mask": lt.alert.category_t.error_notification,
    }
    session = lt.session(settings)
    everyone = lt.ip_filter()
    everyone.add_rule("0.0.0.0", "255.255.255.255", 1 << lt.session.global_peer_class_id)
    session.set_peer_class_filter(everyone)
    return session


def wait_until(predicate, deadline: float, what: str) -> None:
    while not predicate():
        if time.monotonic() > deadline:
            sys.exit(f"timed out waiting for {what}")
        time.sleep(0.02)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--downloaders", type=int, default=8)
    parser.add_argument("--rate", type=int, required=True, help="upload limit per peer, bytes/s")
    parser.add_argument("--piece", type=int, default=262144)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    deadline = time.monotonic() + args.timeout

    files = lt.file_storage()
    lt.add_files(files, args.file)
    creator = lt.create_torrent(files, args.piece, flags=lt.create_torrent.v1_only)
    lt.set_piece_hashes(creator, os.path.dirname(os.path.abspath(args.file)))
    info = lt.torrent_info(creator.generate())

    seeder = make_session(args.rate)
    seed = seeder.add_torrent({"ti": info, "save_path": os.path.dirname(os.path.abspath(args.file))})
    wait_until(lambda: seed.status().is_seeding, deadline, "the seeder to check its file")

    sessions = [make_session(args.rate) for _ in range(args.downloaders)]
    ports = [s.listen_port() for s in sessions]
    saves = [os.path.join(args.workdir, f"lt{i}") for i in range(args.downloaders)]
    for path in saves:
        os.makedirs(path, exist_ok=True)

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    cpu_start = cpu()
    start = time.monotonic()
    handles = [s.add_torrent({"ti": info, "save_path": path}) for s, path in zip(sessions, saves)]
    for i, handle in enumerate(handles):
        handle.connect_peer(("127.0.0.1", seeder.listen_port()))
        for j in range(i + 1, len(handles)):
            handle.connect_peer(("127.0.0.1", ports[j]))

    finished = [None] * len(handles)
    while None in finished:
        if time.monotonic() > deadline:
            done = sum(f is not None for f in finished)
            sys.exit(f"timed out: {done} of {len(handles)} downloaders finished")
        for i, handle in enumerate(handles):
            if finished[i] is None and handle.status().is_seeding:
                finished[i] = time.monotonic() - start
        for s in [seeder, *sessions]:
            for alert in s.pop_alerts():
                if alert.category() & lt.alert.category_t.error_notification:
                    print(f"libtorrent: {alert.message()}", file=sys.stderr)
        time.sleep(0.02)

    name = info.files().file_path(0)
    print(json.dumps({
        "version": lt.__version__,
        "seconds": max(finished),
        "finished": finished,
        "cpu_seconds": cpu() - cpu_start,
        "files": [os.path.join(path, name) for path in saves],
    }))


if __name__ == "__main__":
    main()
