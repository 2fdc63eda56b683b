"""PyTorch twin of the benchmark workloads (bench/lab.ts): same shapes, batch sizes and optimizers,
synthetic data, the timing protocol of bench/lib/measure.mjs (warm-up, timed windows, median), one
JSON line per metric on stdout.

    python3 bench/torch_twin.py --workload W1 --threads 2 [--quick]

Run by scripts/bench.mjs with Debian's python3-torch; OPENBLAS_NUM_THREADS=1 so that OpenBLAS does
not start a second thread pool next to PyTorch's (TOOLCHAIN.md, gotcha 12), except for W5, whose torch.mm
is one OpenBLAS call: there OPENBLAS_NUM_THREADS is the thread count (with 1, "2 threads" ran on one).
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

WORKLOADS = {
    "W1": dict(batch=100, optimizer="Adam", lr=0.001, unit="images/s"),
    "W2": dict(batch=64, optimizer="SGD", lr=0.01, unit="images/s"),
    "W3": dict(batch=64, optimizer="Adam", lr=0.001, unit="sequences/s", steps=28, inputs=28, hidden=128),
    "W4": dict(batch=32, optimizer="Adam", lr=0.001, unit="sequences/s", vocab=65, embed=64, hidden=256, steps=64),
}
FULL = dict(warmup_ms=1500, warmup_steps=2, windows=5, window_ms=1500, window_steps=1)
QUICK = dict(warmup_ms=0, warmup_steps=1, windows=1, window_ms=0, window_steps=1)


def budget_from(args):
    b = dict(QUICK if args.quick else FULL)
    if float(os.environ.get("BENCH_WINDOW_MS", "0") or 0) > 0:
        b["window_ms"] = float(os.environ["BENCH_WINDOW_MS"])
    if int(os.environ.get("BENCH_WINDOWS", "0") or 0) >= 1:
        b["windows"] = int(os.environ["BENCH_WINDOWS"])
    return b


def time_steps(step, b):
    """Seconds per step (wall, process CPU) of every timed window, after the warm-up."""
    t0 = time.perf_counter()
    step()
    first_ms = (time.perf_counter() - t0) * 1000
    if first_ms > 2000 and b["windows"] > 1:  # as measure.mjs: slow steps get fewer, one-step windows
        b = dict(b, warmup_ms=0, warmup_steps=1, window_ms=0, window_steps=1, windows=1 if first_ms > 20000 else 3)
    t0 = time.perf_counter()
    i = 1
    while i < b["warmup_steps"] or (time.perf_counter() - t0) * 1000 < b["warmup_ms"]:
        step()
        i += 1
    wall, cpu = [], []
    for _ in range(b["windows"]):
        n = 0
        c0 = time.process_time()
        t0 = time.perf_counter()
        while True:
            step()
            n += 1
            el = time.perf_counter() - t0
            if n >= b["window_steps"] and el * 1000 >= b["window_ms"]:
                break
        wall.append(el / n)
        cpu.append((time.process_time() - c0) / n)
    return wall, cpu


def emit(workload, metric, threads, unit, value=None, cpu=None, error=None):
    o = {"workload": workload, "metric": metric, "system": "pytorch", "threads": threads}
    if error is not None:
        o["error"] = error
    else:
        o["value"] = float(f"{value:.6g}")
    o["unit"] = unit
    if error is None and cpu is not None:
        o["cpu"] = float(f"{cpu:.6g}")
    print(json.dumps(o), flush=True)


class SimpleConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 30, 5)
        self.affine1 = nn.Linear(30 * 12 * 12, 100)
        self.affine2 = nn.Linear(100, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2, 2)
        return self.affine2(F.relu(self.affine1(x.flatten(1))))


class KerasCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.affine1 = nn.Linear(64 * 7 * 7, 1024)
        self.drop = nn.Dropout(0.25)
        self.affine2 = nn.Linear(1024, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2, 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2, 2)
        return self.affine2(self.drop(F.relu(self.affine1(x.flatten(1)))))


class RowLSTM(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.lstm = nn.LSTM(c["inputs"], c["hidden"], batch_first=True)
        self.affine = nn.Linear(c["hidden"], 10)

    def forward(self, x):
        h, _ = self.lstm(x)
        return self.affine(h[:, -1])


class CharLSTM(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embed = nn.Embedding(c["vocab"], c["embed"])
        self.lstm = nn.LSTM(c["embed"], c["hidden"], batch_first=True)
        self.affine = nn.Linear(c["hidden"], c["vocab"])

    def forward(self, x):
        h, _ = self.lstm(self.embed(x))
        return self.affine(h)


def train(w, threads, b):
    c = WORKLOADS[w]
    B = c["batch"]
    if w == "W1":
        model, x, t, classes = SimpleConvNet(), torch.rand(B, 1, 28, 28), torch.randint(0, 10, (B,)), 10
    elif w == "W2":
        model, x, t, classes = KerasCNN(), torch.rand(B, 1, 28, 28), torch.randint(0, 10, (B,)), 10
    elif w == "W3":
        model, x, t, classes = RowLSTM(c), torch.rand(B, c["steps"], c["inputs"]), torch.randint(0, 10, (B,)), 10
    else:
        V = c["vocab"]
        model, x, t, classes = CharLSTM(c), torch.randint(0, V, (B, c["steps"])), torch.randint(0, V, (B * c["steps"],)), V
    opt = torch.optim.Adam(model.parameters(), lr=c["lr"]) if c["optimizer"] == "Adam" else torch.optim.SGD(model.parameters(), lr=c["lr"])
    model.train()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x).reshape(-1, classes), t)
        loss.backward()
        opt.step()

    wall, cpu = time_steps(step, b)
    emit(w, "train", threads, c["unit"], statistics.median(B / s for s in wall), statistics.median(B / s for s in cpu))
    if w == "W1" and threads == 1:
        model.eval()
        x1 = x[:1].clone()

        def infer():
            with torch.no_grad():
                model(x1)

        wall, cpu = time_steps(infer, dict(b, window_steps=max(b["window_steps"], 10)))
        emit(w, "infer_b1", threads, "ms", statistics.median(wall) * 1000, statistics.median(cpu) * 1000)


def sgemm(threads, b):
    for n in (256, 512, 1024):
        a = torch.rand(n, n) - 0.5
        bb = torch.rand(n, n) - 0.5
        c = torch.empty(n, n)
        wall, cpu = time_steps(lambda: torch.mm(a, bb, out=c), b)
        flops = 2 * n * n * n
        emit("W5", f"gflops_{n}", threads, "GFLOPS", statistics.median(flops / s / 1e9 for s in wall), statistics.median(flops / s / 1e9 for s in cpu))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--workload", default="W1")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--quick", action="store_true")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    b = budget_from(args)
    if args.workload == "W5":
        sgemm(args.threads, b)
    else:
        train(args.workload, args.threads, b)


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # reported as a failed reference run by the caller
        print(f"{type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
