#!/usr/bin/env python3
"""PyTorch's figures for the cases of `lessonbook-bench conv`, measured on this machine.

Prints JSON in the schema of `lessonbook-bench conv --json` (see issue 6):
{"conv": [...], "pool": [...], "sgemm": {...}}. Each figure is the median of --runs timed
runs after --warmup untimed ones, float32, CPU, 2 threads by default. Forward+backward computes
the gradients of the input, the weight and the bias from a given output gradient, as the
Swift bench does. lessonbook never imports this script; README cites it.

    python3 docs/bench/pytorch_reference.py [--runs 20] [--warmup 3] [--threads 2]
        [--only conv|pool|sgemm] [--case TEXT]
"""
import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F

CONV_CASES = [
    ("Conv2d(1,6,5,pad 2)", [256, 1, 28, 28], 6, (5, 5), (1, 1), (2, 2)),
    ("Conv2d(6,16,5)", [256, 6, 14, 14], 16, (5, 5), (1, 1), (0, 0)),
    ("Conv2d(64,64,3,pad 1)", [32, 64, 56, 56], 64, (3, 3), (1, 1), (1, 1)),
    ("Conv2d(3,64,7,stride 2,pad 3)", [16, 3, 224, 224], 64, (7, 7), (2, 2), (3, 3)),
]
POOL_INPUT = [256, 16, 28, 28]


def median_ms(fn, runs, warmup):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def conv_case(name, shape, out_channels, kernel, stride, padding, runs, warmup):
    fan_in = shape[1] * kernel[0] * kernel[1]
    x = torch.randn(shape)
    w = torch.randn(out_channels, shape[1], *kernel) / fan_in ** 0.5
    b = torch.randn(out_channels) * 0.1

    def forward():
        with torch.no_grad():
            F.conv2d(x, w, b, stride=stride, padding=padding)

    xg, wg, bg = (t.clone().requires_grad_() for t in (x, w, b))
    y = F.conv2d(x, w, b, stride=stride, padding=padding)
    grad = torch.ones_like(y)

    def forward_backward():
        out = F.conv2d(xg, wg, bg, stride=stride, padding=padding)
        out.backward(grad)
        xg.grad = wg.grad = bg.grad = None

    fwd = median_ms(forward, runs, warmup)
    fwd_bwd = median_ms(forward_backward, runs, warmup)
    flops = 2.0 * shape[0] * out_channels * y.shape[2] * y.shape[3] * shape[1] * kernel[0] * kernel[1]
    return {
        "name": name, "input": shape, "outChannels": out_channels, "kernel": list(kernel),
        "stride": list(stride), "padding": list(padding),
        "forwardMs": round(fwd, 3), "forwardGflops": round(flops / (fwd * 1e6), 1),
        "forwardBackwardMs": round(fwd_bwd, 3), "forwardBackwardGflops": round(3 * flops / (fwd_bwd * 1e6), 1),
    }


def pool_case(name, pool, runs, warmup):
    x = torch.randn(POOL_INPUT)
    xg = x.clone().requires_grad_()
    grad = torch.ones_like(pool(x))

    def forward():
        with torch.no_grad():
            pool(x)

    def forward_backward():
        pool(xg).backward(grad)
        xg.grad = None

    return {"name": name, "input": POOL_INPUT,
            "forwardMs": round(median_ms(forward, runs, warmup), 3),
            "forwardBackwardMs": round(median_ms(forward_backward, runs, warmup), 3)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--only", choices=["conv", "pool", "sgemm"], action="append",
                        help="measure only these parts (repeatable)")
    parser.add_argument("--case", action="append",
                        help="measure only the cases whose name contains this text (repeatable)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    parts = set(args.only or ["conv", "pool", "sgemm"])
    report = {}
    if "conv" in parts:
        report["conv"] = []
        for case in CONV_CASES:
            if args.case and not any(c in case[0] for c in args.case):
                continue
            print(f"conv: {case[0]} on {case[1]}", file=sys.stderr)
            report["conv"].append(conv_case(*case, args.runs, args.warmup))
    if "pool" in parts:
        report["pool"] = []
        for name, pool in [("MaxPool2d(2)", lambda t: F.max_pool2d(t, 2)),
                           ("AvgPool2d(2)", lambda t: F.avg_pool2d(t, 2))]:
            if args.case and not any(c in name for c in args.case):
                continue
            print(f"pool: {name} on {POOL_INPUT}", file=sys.stderr)
            report["pool"].append(pool_case(name, pool, args.runs, args.warmup))
    if "sgemm" in parts:
        a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
        ms = median_ms(lambda: torch.mm(a, b), args.runs, args.warmup)
        report["sgemm"] = {"name": "sgemm 1024³ (torch.mm)", "size": [1024, 1024, 1024],
                           "ms": round(ms, 3), "gflops": round(2 * 1024 ** 3 / (ms * 1e6), 1)}
    report["torch"] = {"version": torch.__version__, "threads": torch.get_num_threads()}
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
