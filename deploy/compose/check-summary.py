#!/usr/bin/env python3
"""The smoke test's checks on the load-test tool's summary.json (a fanout whose two --exec commands scaled the chat
service to 5 replicas, then killed one). One line per check, "ok <what>" or "FAILED <what>", then notes.

Usage: check-summary.py summary.json <clients>
"""
import json
import sys

MAX_OVER_MEAN = 1.15
WITHIN_SECONDS = 30


def counts(sample):
    return ", ".join(f"{n}" for _, n in sorted(sample["replicas"].items()))


def live(sample):
    return {r: n for r, n in sample["replicas"].items() if n > 0}


def main(path, clients):
    summary = json.load(open(path))
    timeline = summary["timeline"]
    execs = [e for e in summary["events"] if e["kind"] == "exec"]
    results = []

    def check(ok, what):
        results.append(("ok " if ok else "FAILED ") + what)

    if len(execs) != 2:
        check(False, f"the load test ran its two commands (scale, kill): {execs}")
        return results
    scaled_at, killed_at = execs[0]["seconds"], execs[1]["seconds"]
    killed = execs[1]["detail"].rsplit(": ", 1)[-1].strip()[:12]

    settings = summary["settings"]
    before = [s for s in timeline if s["phase"] == "holding" and s["seconds"] < scaled_at]
    spread = before[-1] if before else None
    check(settings["signalRClients"] == clients and spread is not None and spread["connected"] == clients
          and len(live(spread)) >= 2 and len(live(spread)) == len(spread["replicas"]),
          f"{settings['signalRClients']} SignalR clients connected through the gateway, spread over the replicas: "
          + (counts(spread) if spread else "no sample"))

    after_scale = [s for s in timeline if scaled_at <= s["seconds"] <= min(scaled_at + WITHIN_SECONDS, killed_at)]
    balanced = next((s for s in after_scale if s["connected"] == clients and len(live(s)) == 5
                     and max(s["replicas"].values()) / (clients / 5) <= MAX_OVER_MEAN), None)
    last = after_scale[-1] if after_scale else None
    check(balanced is not None,
          f"--scale chat=5: max/mean <= {MAX_OVER_MEAN} within {WITHIN_SECONDS} s"
          + (f" (after {balanced['seconds'] - scaled_at:.0f} s: {counts(balanced)})" if balanced else "")
          + (f"; {last['seconds'] - scaled_at:.0f} s after: {counts(last)}" if last else ""))

    after_kill = [s for s in timeline if killed_at <= s["seconds"] <= killed_at + WITHIN_SECONDS]
    moved = next((s for s in after_kill if s["connected"] == clients and s["replicas"].get(killed, 0) == 0), None)
    check(moved is not None,
          f"docker kill of replica {killed}: all its clients on the other replicas within {WITHIN_SECONDS} s"
          + (f" (after {moved['seconds'] - killed_at:.0f} s: {counts(moved)})" if moved else
             f"; last: {counts(after_kill[-1]) if after_kill else 'no sample'}"))

    # Expected counts confirmed sends; a send whose confirmation was cut off by the kill may still have been stored and
    # delivered, at most to every client.
    m = summary["messages"]
    extra = m["delivered"] - m["expectedDeliveries"]
    check(m["published"] > 0 and m["lost"] == 0 and m["duplicates"] == 0 and m["gaps"] == 0
          and 0 <= extra <= m["unconfirmed"] * clients,
          f"every message seen once by every member: {m['delivered']} delivered of {m['expectedDeliveries']} expected, "
          f"lost {m['lost']}, duplicates {m['duplicates']}, gaps {m['gaps']}"
          + (f" ({extra} more, from the {m['unconfirmed']} sends left unconfirmed)" if extra > 0 else ""))

    c = summary["connections"]
    results.append(f"clients: {c['reconnects']} reconnects ({c['rebalanceCloses']} moved by the servers, {c['drops']} dropped), "
                   f"final balance max/mean {summary['balance']['maxOverMean']:.2f} over {summary['balance']['replicas']} replicas; "
                   f"published {m['published']}, confirmed {m['confirmed']}")
    return results


if __name__ == "__main__":
    for line in main(sys.argv[1], int(sys.argv[2])):
        print(line)
