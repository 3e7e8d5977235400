#!/usr/bin/env python3
"""RevBench's PyTorch twin: MS-ResNet18 (CIFAR) in plain PyTorch, the baseline against the framework people use.

The same network, neuron, surrogate, BatchNorm settings, readout, loss and SGD as RevBench's `ms-resnet18`
(core/.../baseline/MsResNet.java), written with plain torch.nn modules (no SpikingJelly), so that
`./revbench crosscheck pytorch` can time one training step and count its peak memory on both sides with the same
batch, T, threads and allocator (docs/architecture.md, Cross-check against PyTorch).

What it mirrors, with where RevBench defines it:
- IF neuron over [T, B, ...] (neuron/IfNeuron, SpikingNeuron): v starts at 0 for every forward; per step
  h = v + x[t]; s = H(h - 1) with H(x) = 1 for x >= 0; hard reset to 0 with the reset detached:
  v = h * (h - 1 < 0) (a boolean mask, kept for backward as one byte per element, as ours).
- ATan surrogate, alpha 2 (neuron/Surrogates.atan): g'(x) = (alpha / 2) / (1 + (pi / 2 * alpha * x)^2), as a
  torch.autograd.Function that saves its input (4 bytes per element, as ours keeps atan's input).
- Convolutions and BatchNorm on time folded into the batch, [T*B, C, H, W] (nn/TimeFolding); convolutions bias-free,
  padding k // 2; BatchNorm eps 1e-5, PyTorch momentum 0.1 (DJL's 0.9), affine, running statistics.
- The stem conv3x3 3->64 + BN runs once on the static image, then its output is repeated T times (nn/TimeLayers).
- Block: neuron -> conv3x3(stride) -> BN -> neuron -> conv3x3 -> BN, plus the membrane shortcut: identity, or
  neuron -> conv1x1(stride) -> BN where the shape changes. Head: neuron -> global average pool -> Linear per time
  step -> mean over T.
- Loss: softmax cross-entropy, mean over the batch. SGD: momentum 0.9, weight decay 1e-4 on every trainable
  parameter (train/Sgd, PyTorch's definition); gradients zeroed in place after the update, as ours.
- A training step is what TrainingStepBenchmark times: forward, loss (read on the host), backward, SGD update, at
  learning rate 1e-6 (the weights barely move, so every step has the same work).

Peak memory: where RevBench's allocation counter (core/src/main/c/alloc_counter.c) is preloaded (LD_PRELOAD), the
twin calls its exported functions through ctypes as the memory probe does (core/.../memory/MemoryProbeMain.java): the
peak is reset to the live bytes right before each measured step, and the highest peak over the measured steps is
reported with mib_per_image = peak / batch / 1024^2. Without the counter, memory is null.

Weights: --weights FILE reads a RevBench training checkpoint (core/.../train/TrainingCheckpoint.java: big-endian,
parameters and buffers in RevBench's order with their dtype and shape) with the standard library only.

Prints one JSON line on stdout. Usage:
  python3 pytorch_twin.py --model ms-resnet18 --classes 10 --batch 8 --timesteps 4 --threads 2 --steps 10 --warmup 3
      [--dtype float32|float64] [--seed S] [--weights CHECKPOINT] [--check-forward CHECK.json]
"""

import argparse
import array
import ctypes
import json
import math
import statistics
import os
import struct
import sys
import time
import zlib

MODELS = {
    # id: (stage widths, first-block strides, blocks per stage); the CIFAR variant of MsResNet.cifar
    "ms-resnet18": ((64, 128, 256, 512), (1, 2, 2, 2), (2, 2, 2, 2)),
}
STEM_CHANNELS = 64
THRESHOLD = 1.0
ATAN_ALPHA = 2.0
BN_EPS = 1e-5
BN_MOMENTUM = 0.1  # PyTorch's convention; RevBench passes DJL's 0.9, the same thing
SGD_MOMENTUM = 0.9
SGD_WEIGHT_DECAY = 1e-4
STEP_LR = 1e-6  # TrainingStepBenchmark's and TrainingStepWorkload's learning rate
MIB = 1024.0 * 1024.0


def fail(message, code=2):
    """One clear line on stderr, no stack trace."""
    print("pytorch_twin: " + message, file=sys.stderr)
    sys.exit(code)


def parse_args(argv):
    p = argparse.ArgumentParser(description="MS-ResNet18 in plain PyTorch: time and peak memory of a training step.")
    p.add_argument("--model", default="ms-resnet18")
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--timesteps", type=int, default=4)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=10, help="measured training steps (0: build and count only)")
    p.add_argument("--warmup", type=int, default=3, help="unmeasured training steps first")
    p.add_argument("--dtype", choices=("float32", "float64"), default="float32")
    p.add_argument("--seed", type=int, default=7, help="seed of the twin's own weights and batch")
    p.add_argument("--weights", help="a RevBench training checkpoint to take the initial weights from")
    p.add_argument("--check-forward", dest="check", help="a JSON file: input, labels, lr; reports logits, loss and"
                   " parameters after one SGD step (for the parity test)")
    a = p.parse_args(argv)
    if a.model not in MODELS:
        fail("unknown model '%s': the PyTorch twin knows only %s for now" % (a.model, ", ".join(sorted(MODELS))))
    for name in ("classes", "batch", "timesteps", "threads"):
        if getattr(a, name) < 1:
            fail("--%s must be at least 1, got %d" % (name, getattr(a, name)))
    if a.steps < 0 or a.warmup < 0:
        fail("--steps and --warmup must be at least 0")
    return a


# torch is imported after the arguments are checked, and its threads are set before any parallel work
ARGS = parse_args(sys.argv[1:])
try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as e:
    fail("cannot import torch (%s): install PyTorch, e.g. Debian's python3-torch" % e, 3)

torch.set_num_threads(ARGS.threads)
torch.set_num_interop_threads(1)


# ---------------------------------------------------------------------------------------------- neuron and layers

class ATanSpike(torch.autograd.Function):
    """Heaviside forward (x >= 0), SpikingJelly's ATan surrogate backward: (alpha/2) / (1 + (pi/2 alpha x)^2)."""

    @staticmethod
    def forward(ctx, x, alpha):
        ctx.save_for_backward(x)
        ctx.alpha = alpha
        return (x >= 0).to(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        a = ctx.alpha
        return grad * ((a / 2) / (1 + (math.pi / 2 * a * x).square())), None


class IFNeuron(nn.Module):
    """Multi-step integrate-and-fire over [T, B, ...]: charge, fire, hard reset to 0 with the reset detached."""

    def __init__(self, threshold=THRESHOLD, alpha=ATAN_ALPHA):
        super().__init__()
        self.threshold = threshold
        self.alpha = alpha

    def forward(self, x):
        v = None
        spikes = []
        for t in range(x.shape[0]):
            h = x[t] if v is None else v + x[t]
            centred = h - self.threshold
            spikes.append(ATanSpike.apply(centred, self.alpha))
            v = h * (centred < 0)  # detached reset: the boolean "not spiked" is off the graph
        return torch.stack(spikes)


class Folded(nn.Module):
    """Applies a per-frame module to [T, B, ...] with time folded into the batch (RevBench's TimeFolding)."""

    def __init__(self, module):
        super().__init__()
        self.module = module

    def forward(self, x):
        y = self.module(x.flatten(0, 1))
        return y.view(x.shape[0], x.shape[1], *y.shape[1:])


def conv(cin, cout, k, stride):
    return nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, bias=False)


def bn(c):
    return nn.BatchNorm2d(c, eps=BN_EPS, momentum=BN_MOMENTUM)


class SpikeConvBn(nn.Module):
    """neuron -> conv(k, stride, pad k/2, no bias) -> BatchNorm, over [T, B, C, H, W] (SpikingLayers.spikeConvBn)."""

    def __init__(self, cin, cout, k, stride):
        super().__init__()
        self.sn = IFNeuron()
        self.conv = Folded(conv(cin, cout, k, stride))
        self.bn = Folded(bn(cout))

    def forward(self, x):
        return self.bn(self.conv(self.sn(x)))


class BasicBlock(nn.Module):
    """MS-ResNet's block: body(x) + shortcut(x) on the membrane values (MsResNet.basicBlock, Residual)."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.body = nn.Sequential(SpikeConvBn(cin, cout, 3, stride), SpikeConvBn(cout, cout, 3, 1))
        self.shortcut = SpikeConvBn(cin, cout, 1, stride) if stride != 1 or cin != cout else None

    def forward(self, x):
        b = self.body(x)
        return b + (x if self.shortcut is None else self.shortcut(x))


class MsResNet(nn.Module):
    def __init__(self, widths, strides, blocks, classes, timesteps):
        super().__init__()
        self.timesteps = timesteps
        self.stem_conv = conv(3, STEM_CHANNELS, 3, 1)
        self.stem_bn = bn(STEM_CHANNELS)
        stages = []
        cin = STEM_CHANNELS
        for width, stride, n in zip(widths, strides, blocks):
            stage = []
            for b in range(n):
                stage.append(BasicBlock(cin, width, stride if b == 0 else 1))
                cin = width
            stages.append(nn.Sequential(*stage))
        self.stages = nn.Sequential(*stages)
        self.head_sn = IFNeuron()
        self.fc = nn.Linear(cin, classes)
        for m in self.modules():  # RevBench's init (nn/Initializer); the values matter only without --weights
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, image):
        x = self.stem_bn(self.stem_conv(image))  # once, on the static image [B, 3, 32, 32]
        x = x.unsqueeze(0).repeat(self.timesteps, 1, 1, 1, 1)  # direct encoding: [T, B, C, H, W]
        x = self.stages(x)
        s = self.head_sn(x)
        pooled = F.adaptive_avg_pool2d(s.flatten(0, 1), 1).flatten(1)  # global average pool per frame
        logits = self.fc(pooled.view(s.shape[0], s.shape[1], -1))  # Linear per time step: [T, B, K]
        return logits.mean(0)  # the readout: mean over T

    def revbench_order(self):
        """(RevBench's name, tensor) for every parameter and buffer, in RevBench's order (depth first, as declared)."""
        out = []
        for m in self.modules():  # pre-order in registration order, the order of RevBench's Module tree
            if isinstance(m, nn.Conv2d):
                out.append(("weight", m.weight))
            elif isinstance(m, nn.BatchNorm2d):
                out += [("gamma", m.weight), ("beta", m.bias), ("running_mean", m.running_mean),
                        ("running_var", m.running_var)]
            elif isinstance(m, nn.Linear):
                out += [("weight", m.weight), ("bias", m.bias)]
        return out


# ---------------------------------------------------------------------------------------------- RevBench files

DTYPES = {"FLOAT32": ("f", torch.float32, 4), "FLOAT64": ("d", torch.float64, 8)}


class Reader:
    def __init__(self, data):
        self.data = data
        self.pos = 0

    def take(self, n):
        if self.pos + n > len(self.data):
            raise ValueError("ends early")
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return b

    def int(self):
        return struct.unpack(">i", self.take(4))[0]

    def long(self):
        return struct.unpack(">q", self.take(8))[0]

    def string(self):  # TrainingCheckpoint's strings: int byte count, UTF-8
        return self.take(self.int()).decode("utf-8")

    def utf(self):  # DataOutput.writeUTF: unsigned short byte count (ASCII names here)
        return self.take(struct.unpack(">H", self.take(2))[0]).decode("utf-8")


def read_checkpoint(path):
    """The parameters of a RevBench training checkpoint: [(name, trainable, dtype name, shape, tensor)]."""
    with open(path, "rb") as f:
        data = f.read()
    end = b"CKPT-END"
    if not data.startswith(b"REVBCKPT") or not data.endswith(end) or len(data) < 8 + 4 + 20:
        fail("%s is not a complete RevBench training checkpoint" % path)
    length, crc = struct.unpack(">qi", data[-20:-8])
    content = data[:-20]
    if length != len(content) or zlib.crc32(content) != (crc & 0xFFFFFFFF):
        fail("%s: truncated or corrupt (length or CRC32 does not match)" % path)
    r = Reader(content)
    r.take(8)
    version = r.int()
    if version not in (1, 2):
        fail("%s: checkpoint format version %d, the twin reads 1 and 2" % (path, version))
    for _ in range(r.int()):  # the meta map
        r.string()
        r.string()
    params = []
    for _ in range(r.int()):
        name = r.string()
        trainable = r.take(1) != b"\x00"
        dtype = r.utf()
        if dtype not in DTYPES:
            fail("%s: parameter '%s' is %s; the twin reads float32 and float64" % (path, name, dtype))
        code, torch_dtype, width = DTYPES[dtype]
        shape = [r.long() for _ in range(r.int())]
        count = 1
        for d in shape:
            count *= d
        values = array.array(code)
        values.frombytes(r.take(count * width))
        if sys.byteorder == "little":
            values.byteswap()  # the file is big-endian (java.io.DataOutput)
        t = torch.frombuffer(values, dtype=torch_dtype).clone().view(shape) if count else torch.zeros(shape, dtype=torch_dtype)
        params.append((name, trainable, dtype, shape, t))
    return params


def load_weights(model, path, dtype):
    saved = read_checkpoint(path)
    ours = model.revbench_order()
    if len(saved) != len(ours):
        fail("%s holds %d parameters and buffers, the twin's %s has %d" % (path, len(saved), ARGS.model, len(ours)))
    with torch.no_grad():
        for i, ((name, _, dt, shape, t), (twin_name, target)) in enumerate(zip(saved, ours)):
            if name != twin_name or list(target.shape) != shape:
                fail("%s: parameter %d is '%s' %s, the twin's is '%s' %s" % (path, i, name, shape, twin_name,
                                                                              list(target.shape)))
            if t.dtype != dtype:
                fail("%s holds %s weights, the twin runs --dtype %s" % (path, dt.lower(), ARGS.dtype))
            target.copy_(t)


# ---------------------------------------------------------------------------------------------- allocation counter

class Counter:
    """RevBench's allocation counter, when it is preloaded into this process (as AllocationCounter binds it)."""

    def __init__(self):
        self.reason = None
        try:
            process = ctypes.CDLL(None)  # the global scope, where preloaded libraries live
            self.live = process.revbench_alloc_live
            self.peak = process.revbench_alloc_peak
            self.reset_peak = process.revbench_alloc_reset_peak
            self.count = process.revbench_alloc_count
            for f in (self.live, self.peak, self.count):
                f.restype = ctypes.c_longlong
                f.argtypes = []
            self.reset_peak.restype = None
            active = process.revbench_alloc_active
            active.restype = ctypes.c_int
            if active() != 1:
                self.reason = "librevbench_alloc is loaded but does not intercept posix_memalign (not preloaded first?)"
        except (AttributeError, OSError):
            self.reason = "librevbench_alloc is not preloaded in this process (LD_PRELOAD=%s)" % os.environ.get(
                "LD_PRELOAD")

    @property
    def active(self):
        return self.reason is None


def allocator():
    """This process's malloc as RevBench's provenance names it: a mapped tcmalloc or jemalloc, else glibc."""
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                name = line.rstrip("\n").split("/")[-1]
                if "/" in line and "libtcmalloc" in name:
                    return "tcmalloc (%s)" % name
                if "/" in line and "libjemalloc" in name:
                    return "jemalloc (%s)" % name
    except OSError:
        return "unknown"
    try:
        return "glibc " + os.confstr("CS_GNU_LIBC_VERSION").split()[-1]
    except (ValueError, OSError, AttributeError):
        return "glibc"


def torch_package():
    """Debian's package version when torch is Debian's python3-torch (whose torch.__version__ reads 1.13.0a0), else None."""
    if not torch.__file__.startswith("/usr/lib/python3/dist-packages/"):
        return None
    try:
        import subprocess
        r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "python3-torch"], capture_output=True, text=True,
                           timeout=30)
        return "python3-torch " + r.stdout.strip() if r.returncode == 0 and r.stdout.strip() else None
    except (OSError, subprocess.SubprocessError):
        return None


# ---------------------------------------------------------------------------------------------- training step

def training_step(model, optimizer, x, y, lr):
    for g in optimizer.param_groups:
        g["lr"] = lr
    logits = model(x)
    loss = F.cross_entropy(logits, y)
    value = loss.item()  # read on the host before the backward, as TrainingStep does
    loss.backward()
    optimizer.step()
    optimizer.zero_grad(set_to_none=False)  # RevBench zeroes the gradients in place after the update
    return value, logits


def flat(t):
    return t.detach().reshape(-1).tolist()


def check_forward(model, optimizer, path, dtype):
    """The parity test's numbers: eval logits, then one training step's logits, loss and parameters after it."""
    with open(path) as f:
        c = json.load(f)
    x = torch.tensor(c["input"]["values"], dtype=torch.float64).to(dtype).view(c["input"]["shape"])
    y = torch.tensor(c["labels"], dtype=torch.int64)
    model.eval()
    with torch.no_grad():
        eval_logits = model(x)
    model.train()
    loss, train_logits = training_step(model, optimizer, x, y, c["lr"])
    order = model.revbench_order()
    return {
        "eval_logits": flat(eval_logits),
        "train_logits": flat(train_logits),
        "loss": loss,
        "parameters_after_step": {str(i): flat(order[i][1]) for i in c.get("report_parameters", [])},
    }


def main():
    widths, strides, blocks = MODELS[ARGS.model]
    dtype = torch.float64 if ARGS.dtype == "float64" else torch.float32
    counter = Counter()
    torch.manual_seed(ARGS.seed)
    model = MsResNet(widths, strides, blocks, ARGS.classes, ARGS.timesteps).to(dtype)
    if ARGS.weights:
        load_weights(model, ARGS.weights, dtype)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=STEP_LR, momentum=SGD_MOMENTUM,
                                weight_decay=SGD_WEIGHT_DECAY)
    params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    out = {
        "twin": "pytorch",
        "model": ARGS.model,
        "torch_version": torch.__version__,
        "torch_package": torch_package(),
        "python_version": sys.version.split()[0],
        "threads": torch.get_num_threads(),
        "interop_threads": torch.get_num_interop_threads(),
        "mkldnn": torch.backends.mkldnn.is_available(),
        "allocator": allocator(),
        "onednn_max_cpu_isa": os.environ.get("ONEDNN_MAX_CPU_ISA", "native"),
        "dtype": ARGS.dtype,
        "classes": ARGS.classes,
        "batch": ARGS.batch,
        "timesteps": ARGS.timesteps,
        "params": params,
    }
    if ARGS.check:
        out["check"] = check_forward(model, optimizer, ARGS.check, dtype)
        print(json.dumps(out))
        return

    g = torch.Generator().manual_seed(ARGS.seed)
    x = torch.randn(ARGS.batch, 3, 32, 32, generator=g, dtype=torch.float64).to(dtype)
    y = torch.randint(0, ARGS.classes, (ARGS.batch,), generator=g)
    for _ in range(ARGS.warmup):
        training_step(model, optimizer, x, y, STEP_LR)
    times, peaks = [], []
    live_before = counter.live() if counter.active else None
    for _ in range(ARGS.steps):
        if counter.active:
            counter.reset_peak()  # the step's peak includes what is alive: weights, gradients, momentum
        t0 = time.perf_counter()
        training_step(model, optimizer, x, y, STEP_LR)
        times.append((time.perf_counter() - t0) * 1e3)
        if counter.active:
            peaks.append(counter.peak())
    out["warmup"] = ARGS.warmup
    out["steps"] = ARGS.steps
    out["step_ms"] = times
    out["step_ms_median"] = statistics.median(times) if times else None
    if counter.active and peaks:
        peak = max(peaks)
        out["memory"] = {"peak_bytes": peak, "per_step_peaks": peaks, "live_bytes_before": live_before,
                         "batch": ARGS.batch, "mib_per_image": peak / ARGS.batch / MIB}
    else:
        out["memory"] = None
        out["memory_reason"] = counter.reason or "no measured steps"
    print(json.dumps(out))


if __name__ == "__main__":
    main()
