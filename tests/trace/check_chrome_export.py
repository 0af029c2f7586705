"""Exports the sample trace (tests/trace/trace_samples.hpp) as Chrome Trace Event JSON with the
novasim binary, parses it back with Python's json module, and checks that it is what Perfetto and
chrome://tracing expect and holds the sample's tracks and slices.

    python3 check_chrome_export.py NOVASIM SAMPLE_TRACE OUTPUT_JSON
"""
import json
import subprocess
import sys


def fail(what):
    sys.exit("check_chrome_export: " + what)


def export(novasim, trace, output):
    to_file = subprocess.run([novasim, "trace", "export", "--chrome", trace, "-o", output],
                             capture_output=True, text=True)
    if to_file.returncode != 0:
        fail(f"export -o exited {to_file.returncode}: {to_file.stderr}")
    to_stdout = subprocess.run([novasim, "trace", "export", "--chrome", trace],
                               capture_output=True)
    with open(output, "rb") as f:
        written = f.read()
    if to_stdout.stdout != written:
        fail("standard output and -o differ")
    return json.loads(written.decode("utf-8"))


def check_shapes(events):
    """Every event is a complete slice or a name; every track that has slices has a name."""
    names = {}
    for e in events:
        if e.get("ph") == "M":
            if e["name"] not in ("process_name", "thread_name") or \
                    not isinstance(e["args"]["name"], str):
                fail(f"bad metadata event {e}")
            names[(e["pid"], e.get("tid"))] = e["args"]["name"]
        elif e.get("ph") == "X":
            for key, kind in (("pid", int), ("tid", int), ("name", str), ("args", dict)):
                if not isinstance(e.get(key), kind):
                    fail(f"{key} of {e} is not {kind.__name__}")
            if not all(isinstance(e[k], (int, float)) and e[k] >= 0 for k in ("ts", "dur")):
                fail(f"bad times in {e}")
            if (e["pid"], e["tid"]) not in names or (e["pid"], None) not in names:
                fail(f"slice on an unnamed track: {e}")
        else:
            fail(f"unexpected phase in {e}")
    return names


def slices(events, pid):
    return sorted((e["tid"], e["ts"], e["dur"], e["name"]) for e in events
                  if e["ph"] == "X" and e["pid"] == pid)


def check_no_overlap(track):
    for (tid, ts, dur, _), (next_tid, next_ts, _, _) in zip(track, track[1:]):
        if tid == next_tid and ts + dur > next_ts + 1e-9:
            fail(f"slices overlap on track {tid}: {track}")


def main():
    novasim, trace, output = sys.argv[1:4]
    document = export(novasim, trace, output)
    events = document["traceEvents"]
    names = check_shapes(events)
    expected_names = {(1, None): "simulated CPUs", (1, 0): "CPU 0", (1, 1): "CPU 1",
                      (2, None): "vCPUs", (2, 0): "vCPU 0 (CPU 0)", (2, 1): "vCPU 1 (CPU 1)"}
    if names != expected_names:
        fail(f"track names {names}")
    cpus = slices(events, 1)
    check_no_overlap(cpus)
    if cpus != [(0, 1.0, 1.0, "EC 5"), (0, 2.0, 7.0, "vCPU 0"), (1, 2.5, 7.0, "vCPU 1")]:
        fail(f"CPU slices {cpus}")
    vcpus = slices(events, 2)
    check_no_overlap(vcpus)
    if vcpus != [(0, 3.0, 2.0, "I/O"), (0, 6.0, 1.0, "I/O"), (0, 8.0, 0.5, "no exit"),
                 (1, 4.0, 5.0, "HLT")]:
        fail(f"vCPU slices {vcpus}")
    if document["otherData"]["end"] != 'guest "sample" exited\n':
        fail(f"otherData {document['otherData']}")
    print(f"{len(events)} events, {len(cpus)} CPU slices, {len(vcpus)} vCPU slices: as expected")


main()
