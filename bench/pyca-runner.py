"""pyca `cryptography` side of coffer's benchmark. bench/pyca.ts starts it; it is not meant to be run by hand.

One process serves the whole run, one JSON object per line each way, so its samples can be interleaved
with the JavaScript ones and it sits idle (blocked on stdin) while node measures.

  -> {"clock": "wall" or "cpu", "cases": [{"id": ..., "size": ..., "source": ...}, ...]}
  <- {"versions": {...}, "cases": {id: {"output": hex} or {"error": text}}}
  -> {"calibrate": id, "warmSeconds": w, "sliceSeconds": s}   <- {"batch": n, "batchSeconds": t}
  -> {"slice": id, "batch": n}                                 <- {"seconds": t}

Each `source` defines `op()` returning bytes; it runs with SIZE, pattern() and pyca's `hashes` and `hmac`
modules in scope. Calibration follows bench/measure.ts: batches double until one takes `warmSeconds`, then
that rate sizes a slice of `sliceSeconds`; node decides how slices make up samples. The loop calls op() once
per operation, as the JS side calls its closure.
"""

import json
import platform
import sys
import time

import cryptography
from cryptography.hazmat.backends.openssl.backend import backend
from cryptography.hazmat.primitives import hashes, hmac


def pattern(length, seed=0):
    # Same bytes as bench/case.ts pattern(): byte i = (131*i + 7*seed + 1) mod 256, period 256.
    period = bytes((131 * i + 7 * seed + 1) & 0xFF for i in range(256))
    return (period * (length // 256 + 1))[:length]


# perf_counter for wall time; process_time (user + system CPU of the process) for BENCH_CLOCK=cpu.
clock = time.perf_counter


def time_batch(op, n):
    start = clock()
    for _ in range(n):
        op()
    return clock() - start


def calibrate(op, warm_seconds, slice_seconds):
    n = 1
    elapsed = time_batch(op, n)
    while elapsed < warm_seconds:
        n *= 2
        elapsed = time_batch(op, n)
    batch = max(1, round(n * slice_seconds / elapsed))
    return {"batch": batch, "batchSeconds": batch * elapsed / n}


def load(case):
    namespace = {"SIZE": case["size"], "pattern": pattern, "hashes": hashes, "hmac": hmac}
    exec(compile(case["source"], f"<case {case['id']}>", "exec"), namespace)
    op = namespace["op"]
    return op, bytes(op()).hex()


def reply(value):
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


def main():
    global clock
    request = json.loads(sys.stdin.readline())
    if request["clock"] == "cpu":
        clock = time.process_time
    ops = {}
    loaded = {}
    for case in request["cases"]:
        try:  # one broken snippet must not lose the other figures
            ops[case["id"]], output = load(case)
            loaded[case["id"]] = {"output": output}
        except Exception as exc:
            loaded[case["id"]] = {"error": f"{type(exc).__name__}: {exc}"}
    versions = {
        "python": platform.python_version(),
        "cryptography": cryptography.__version__,
        "openssl": backend.openssl_version_text(),
    }
    reply({"versions": versions, "cases": loaded})
    for line in sys.stdin:
        command = json.loads(line)
        if "calibrate" in command:
            op = ops[command["calibrate"]]
            reply(calibrate(op, command["warmSeconds"], command["sliceSeconds"]))
        else:
            reply({"seconds": time_batch(ops[command["slice"]], command["batch"])})


if __name__ == "__main__":
    main()
