#!/usr/bin/env python3
"""PyTorch's figure for `lessonbook-bench train`: epochs of the seed CNN on Fashion-MNIST.

The same run as the Swift bench: Conv2d(1,10,5) → MaxPool2d(2) → ReLU → Conv2d(10,20,5) →
MaxPool2d(2) → ReLU → Flatten → Linear(320,10), SGD (lr 0.01, momentum 0.5), batch 64 shuffled,
images scaled to [0, 1] and normalised by 0.2860 / 0.3530, float32 on the CPU, 2 threads.
The first epoch's seconds include reading the IDX files (the Debian package
dataset-fashion-mnist, read with gzip + NumPy since torchvision is not needed); the test-set
evaluation after each epoch is not timed. Prints JSON in the schema of
`lessonbook-bench train --json`, plus resident memory after training steps 1 and 100.
lessonbook never imports this script.

    python3 docs/bench/pytorch_train_reference.py [--epochs 1] [--threads 2] [--seed 0]
        [--root /usr/share/datasets/fashion-mnist]
"""
import argparse
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

MEAN, STD = 0.2860, 0.3530


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(root, prefix):
    images = read_idx(os.path.join(root, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(root, f"{prefix}-labels-idx1-ubyte.gz"))
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    x = (x - MEAN) / STD
    y = torch.from_numpy(labels.astype(np.int64))
    return torch.utils.data.TensorDataset(x, y)


def resident_mib():
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") // (1 << 20)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--root", default="/usr/share/datasets/fashion-mnist")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    start = time.perf_counter()
    train = load(args.root, "train")
    test = load(args.root, "t10k")
    loader = torch.utils.data.DataLoader(train, batch_size=64, shuffle=True)
    loading = time.perf_counter() - start

    model = nn.Sequential(
        nn.Conv2d(1, 10, 5), nn.MaxPool2d(2), nn.ReLU(),
        nn.Conv2d(10, 20, 5), nn.MaxPool2d(2), nn.ReLU(),
        nn.Flatten(), nn.Linear(320, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.5)
    epochs, memory = [], {}
    for epoch in range(1, max(args.epochs, 1) + 1):
        model.train()
        start = time.perf_counter()
        steps = 0
        for x, y in loader:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            loss.item()
            steps += 1
            if epoch == 1 and steps in (1, 100):
                memory[f"afterStep{steps}MiB"] = resident_mib()
        seconds = time.perf_counter() - start + (loading if epoch == 1 else 0)
        model.eval()
        correct = 0
        with torch.no_grad():
            for x, y in torch.utils.data.DataLoader(test, batch_size=1000):
                correct += (model(x).argmax(1) == y).sum().item()
        accuracy = correct / len(test)
        print(f"pytorch: epoch {epoch}  {seconds:.2f} s  test accuracy {accuracy * 100:.2f}%", file=sys.stderr)
        epochs.append({"seconds": round(seconds, 2), "testAccuracy": round(accuracy, 4)})
    print(json.dumps({"train": {"model": "pytorch seed CNN", "epochs": epochs, "memory": memory,
                                "torch": torch.__version__, "threads": args.threads}}, indent=2))


if __name__ == "__main__":
    main()
