"""Starts one download of a file on each running P2PShare node and waits until all have completed.

Talks to each node's control API (URL and token from DATA_DIR/.p2pshare/control.json, as the one-shot verbs
do), so the timing holds no process start-up: from the first POST /downloads to the last node reporting the
download completed (polled every 20 ms). Prints one JSON object: seconds until the last finished, each
node's finish time, and bytes_up of every node named (seeders included) once all are done.
"""

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request


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
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            sys.exit(f"{method} {self.url}{path}: {error.code} {error.read().decode(errors='replace')}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hash", required=True)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--seeder", action="append", default=[], help="data dir of a node that only seeds")
    parser.add_argument("downloaders", nargs="+", help="data dirs of the nodes that download")
    args = parser.parse_args()

    seeders = [Node(d) for d in args.seeder]
    nodes = [Node(d) for d in args.downloaders]
    start = time.monotonic()
    deadline = start + args.timeout
    for node in nodes:
        node.call("POST", "/downloads", {"hash": args.hash, "output_dir": None})

    finished = [None] * len(nodes)
    while None in finished:
        if time.monotonic() > deadline:
            done = sum(f is not None for f in finished)
            sys.exit(f"timed out: {done} of {len(nodes)} downloads completed")
        for i, node in enumerate(nodes):
            if finished[i] is not None:
                continue
            view = node.call("GET", f"/downloads/{args.hash}")
            if view["state"] == "completed":
                finished[i] = time.monotonic() - start
            elif view["state"] == "failed":
                sys.exit(f"download on {args.downloaders[i]} failed: {view.get('error')}")
        time.sleep(0.02)

    print(json.dumps({
        "seconds": max(finished),
        "finished": finished,
        "bytes_up": [node.call("GET", "/status")["bytes_up"] for node in [*seeders, *nodes]],
    }))


if __name__ == "__main__":
    main()
