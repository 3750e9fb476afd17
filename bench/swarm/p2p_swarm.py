"""Starts one download of a file on each running P2PShare node at once and waits until all have completed.

Talks to each node's control API (URL and token from DATA_DIR/.p2pshare/control.json, as the one-shot verbs
do), so the timing holds no process start-up: from sending the POST /downloads requests (all at once, one
thread per node) to the last node reporting the download completed (one long poll per node, GET /downloads/HASH?wait_ms=,
which answers as soon as the download finishes, so the timing costs the nodes no request per round). Prints one JSON
object: seconds until the last finished; for each downloader when its POST returned and when it finished,
and its bytes per source peer; bytes_up and peer ID of every node (seeders first) once all are done; and a
timeline of every node's bytes_up sampled about every second, which shows who was idle when.
"""

import argparse
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor


class Node:
    def __init__(self, data_dir: str):
        with open(os.path.join(data_dir, ".p2pshare", "control.json")) as f:
            control = json.load(f)
        self.url = control["url"].rstrip("/")
        self.token = control["token"]

    def call(self, method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method, headers={
            "X-Control-Token": self.token,
            "Content-Type": "application/json",
        })
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"{method} {self.url}{path}: {error.code} {error.read().decode(errors='replace')}")


def sample(nodes, start: float, stop: threading.Event, timeline: list) -> None:
    """Appends one row per round: [seconds, bytes_up] of every node, each stamped when its answer came."""
    while not stop.is_set():
        row = []
        for node in nodes:
            up = node.call("GET", "/status")["bytes_up"]
            row.append([round(time.monotonic() - start, 3), up])
        timeline.append(row)
        stop.wait(1.0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hash", required=True)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--seeder", action="append", default=[], help="data dir of a node that only seeds")
    parser.add_argument("downloaders", nargs="+", help="data dirs of the nodes that download")
    args = parser.parse_args()

    seeders = [Node(d) for d in args.seeder]
    nodes = [Node(d) for d in args.downloaders]
    everyone = [*seeders, *nodes]
    for node in everyone:  # first requests compile the control API's code paths: not part of a download
        node.call("GET", "/status")
        node.call("GET", "/downloads")
    timeline = []
    stop = threading.Event()
    start = time.monotonic()
    deadline = start + args.timeout
    sampler = threading.Thread(target=sample, args=(everyone, start, stop, timeline), daemon=True)
    sampler.start()

    def begin(node: Node) -> float:
        node.call("POST", "/downloads", {"hash": args.hash, "output_dir": None})
        return round(time.monotonic() - start, 3)

    with ThreadPoolExecutor(max_workers=len(nodes)) as pool:
        started = list(pool.map(begin, nodes))

    def wait_done(i: int) -> None:
        """Long-polls one node until its download completes: no request per round while bytes flow."""
        node = nodes[i]
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            view = node.call("GET", f"/downloads/{args.hash}?wait_ms={int(min(left, 30) * 1000)}")
            if view["state"] == "completed":
                finished[i] = time.monotonic() - start
                from_peers[i] = view.get("bytes_from_peers")
                return
            if view["state"] == "failed":
                failures.append(f"download on {args.downloaders[i]} failed: {view.get('error')}")
                return

    finished = [None] * len(nodes)
    from_peers = [None] * len(nodes)
    failures = []
    with ThreadPoolExecutor(max_workers=len(nodes)) as pool:
        list(pool.map(wait_done, range(len(nodes))))
    if failures:
        sys.exit(failures[0])
    if None in finished:
        done = sum(f is not None for f in finished)
        sys.exit(f"timed out: {done} of {len(nodes)} downloads completed")
    stop.set()
    sampler.join()

    statuses = [node.call("GET", "/status") for node in everyone]
    print(json.dumps({
        "seconds": max(finished),
        "started": started,
        "finished": finished,
        "bytes_from_peers": from_peers,
        "bytes_up": [status["bytes_up"] for status in statuses],
        "peer_ids": [status["peer_id"] for status in statuses],
        "bytes_up_timeline": timeline,
    }))


if __name__ == "__main__":
    main()
