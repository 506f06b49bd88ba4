#!/usr/bin/python3
"""PyTorch reference timing for dfplan's dynamics network (dynamics/graph.go).

Builds the same causal GRU network, layer by layer and with the same weight
names and (in, out) weight layout as the gorgonia graph, and times on the CPU:

  vjp    forward + vector-Jacobian product w.r.t. the noisy input tokens,
         60 tokens, batch 1, 8, 32   (go test -bench PredictVJP ./dynamics)
  train  one optimizer step: fresh noise, forward, MSE loss, backward w.r.t.
         every weight, global-norm clipping, AdamW; batch 32 x 24 tokens,
         three model sizes           (go test -bench TrainStep ./dynamics)

It is a measuring stick only: nothing in dfplan imports or needs PyTorch.
See README.md in this directory.
"""

import argparse
import json
import math
import os
import statistics
import struct
import sys
import time

OPENBLAS_DIR = "/usr/lib/x86_64-linux-gnu/openblas-pthread"


def _early_env():
    """Thread counts and BLAS choice must be fixed before torch loads its
    BLAS library: OpenBLAS ignores torch.set_num_threads, and the library is
    picked by the dynamic linker at process start."""
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--blas", default="system")
    a, _ = ap.parse_known_args()
    for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[v] = str(a.threads)
    # OpenMP workers that spin while waiting collapse when the cores are
    # shared with other busy processes (measured: a 2-thread training step
    # 30x slower than with one thread); sleeping workers do not.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    if a.blas == "openblas" and os.environ.get("LD_LIBRARY_PATH", "").split(":")[0] != OPENBLAS_DIR:
        if not os.path.exists(os.path.join(OPENBLAS_DIR, "libblas.so.3")):
            sys.exit(f"--blas openblas: {OPENBLAS_DIR} missing (apt-get install -y libopenblas0-pthread)")
        os.environ["LD_LIBRARY_PATH"] = ":".join(filter(None, [OPENBLAS_DIR, os.environ.get("LD_LIBRARY_PATH")]))
        os.execv(sys.executable, [sys.executable] + sys.argv)


if __name__ == "__main__":
    _early_env()

import torch  # noqa: E402

# Default dynamics.Config (dynamics/config.go).
DEFAULT = dict(obs_dim=4, act_dim=2, frame_stack=10, z_dim=64, hidden=128,
               layers=1, encoder_hidden=64, embed_dim=32, diffusion_steps=1000)

# BenchmarkTrainStep's sizes (dynamics/bench_test.go): z, hidden, layers.
TRAIN_SIZES = [("small-z32-h64-l1", 32, 64, 1),
               ("default-z64-h128-l1", 64, 128, 1),
               ("large-z128-h256-l2", 128, 256, 2)]


def token_dim(c):
    return c["frame_stack"] * (c["obs_dim"] + c["act_dim"])


def param_shapes(c):
    """Every weight in checkpoint order, as dynamics.paramShapes lists them.
    Linear weights are (in, out): y = x @ W + b."""
    td, z, h, e, eh = token_dim(c), c["z_dim"], c["hidden"], c["embed_dim"], c["encoder_hidden"]
    ps = []

    def lin(name, i, o):
        ps.append((name + ".weight", (i, o)))
        ps.append((name + ".bias", (o,)))
    lin("encoder.0", c["obs_dim"], eh)
    lin("encoder.1", eh, eh)
    lin("encoder.2", eh, z)
    lin("pre.in", td + e + z, h)  # rows: x_t, embed(k_t), z_{t-1}
    for i in range(c["layers"]):
        lin(f"pre.{i}.fc1", h, h)
        lin(f"pre.{i}.fc2", h, h)
    lin("pre.out", h, z)
    lin("gru.reset", 2 * z, z)   # rows: GRU input, previous z
    lin("gru.update", 2 * z, z)
    lin("gru.cand_in", z, z)
    lin("gru.cand_hid", z, z)
    lin("post.in", z, h)
    for i in range(c["layers"]):
        lin(f"post.{i}.fc1", h, h)
        lin(f"post.{i}.fc2", h, h)
    lin("head", h, td)
    return ps


def noise_embedding(T, e):
    """(T+1) x e sinusoidal table: [sin(k f_i), cos(k f_i)], f_i = 10000^(-i/(e/2-1))."""
    half = e // 2
    k = torch.arange(T + 1, dtype=torch.float64)[:, None]
    i = torch.arange(half, dtype=torch.float64)
    f = torch.exp(-math.log(10000) * i / (half - 1)) if half > 1 else torch.ones(1, dtype=torch.float64)
    return torch.cat([torch.sin(k * f), torch.cos(k * f)], 1).float()


class Net(torch.nn.Module):
    """The dynamics network of dynamics/graph.go. Token rows are time-major
    (row t*B + b), as in the Go graph."""

    def __init__(self, c, seed=1):
        super().__init__()
        self.c = c
        g = torch.Generator().manual_seed(seed)
        self.w = torch.nn.ParameterDict()
        fan = {}
        for name, shape in param_shapes(c):
            if len(shape) == 2:
                fan[name[:-len(".weight")]] = shape[0]
        for name, shape in param_shapes(c):
            # U(-1/sqrt(fan_in), 1/sqrt(fan_in)); second layer of every
            # residual block zero (each block starts as the identity).
            bound = 1 / math.sqrt(fan[name.rsplit(".", 1)[0]])
            t = (torch.rand(shape, generator=g) * 2 - 1) * bound
            if ".fc2." in name:
                t.zero_()
            self.w[name.replace(".", "_")] = torch.nn.Parameter(t)
        self.register_buffer("emb", noise_embedding(c["diffusion_steps"], c["embed_dim"]))

    def p(self, name):
        return self.w[name.replace(".", "_")]

    def lin(self, x, name):
        return torch.addmm(self.p(name + ".bias"), x, self.p(name + ".weight"))

    @staticmethod
    def silu(x):
        return x * torch.sigmoid(x)  # as graph.go writes it (F.silu is the same function)

    def res_blocks(self, h, prefix):
        for i in range(self.c["layers"]):
            h = h + self.lin(self.silu(self.lin(h, f"{prefix}.{i}.fc1")), f"{prefix}.{i}.fc2")
        return h

    def forward(self, obs0, tokens):
        """obs0: B x ObsDim; tokens: list of H tensors B x (TokenDim+EmbedDim)
        ([noisy token, embed(k)]). Returns x0_hat, (H*B) x TokenDim, time-major."""
        silu, lin = self.silu, self.lin
        z = torch.tanh(lin(silu(lin(silu(lin(obs0, "encoder.0")), "encoder.1")), "encoder.2"))
        zs = []
        for tok in tokens:
            h = silu(lin(torch.cat([tok, z], 1), "pre.in"))
            h = self.res_blocks(h, "pre")
            u = lin(h, "pre.out")
            # GRU cell, PyTorch's gate convention (as graph.go):
            #   r = sig(W_r [u, z] + b_r), s = sig(W_s [u, z] + b_s)
            #   n = tanh(W_n u + b_n + r * (U_n z + c_n)); z' = n + s * (z - n)
            uz = torch.cat([u, z], 1)
            r = torch.sigmoid(lin(uz, "gru.reset"))
            s = torch.sigmoid(lin(uz, "gru.update"))
            n = torch.tanh(lin(u, "gru.cand_in") + r * lin(z, "gru.cand_hid"))
            z = n + s * (z - n)
            zs.append(z)
        p = silu(lin(torch.cat(zs, 0), "post.in"))
        p = self.res_blocks(p, "post")
        return lin(p, "head")

    def tokens(self, x, k, requires_grad=False):
        """Batch-major x (B x H x TokenDim) and k (B x H) -> H leaves
        B x (TokenDim+EmbedDim), like graph.feed."""
        tok = torch.cat([x, self.emb[k]], 2).transpose(0, 1)
        return [t.contiguous().requires_grad_(requires_grad) for t in tok]


def load_checkpoint(path):
    """Config and weights of a dfplan safetensors checkpoint (F32 only;
    no safetensors package needed)."""
    with open(path, "rb") as f:
        buf = f.read()
    (n,) = struct.unpack("<Q", buf[:8])
    header = json.loads(buf[8:8 + n])
    meta = header.pop("__metadata__", {})
    cfg = json.loads(meta["config"]) if "config" in meta else None
    data = buf[8 + n:]
    tensors = {}
    for name, ent in header.items():
        a, b = ent["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(data[a:b]), dtype=torch.float32).reshape(ent["shape"])
    return cfg, meta, tensors


def net_from_checkpoint(path):
    cfg, _, tensors = load_checkpoint(path)
    c = {k: cfg[k] for k in DEFAULT}
    net = Net(c)
    with torch.no_grad():
        for name, _ in param_shapes(c):
            net.p(name).copy_(tensors[name])
    return net


def predict_vjp(net, obs0, x, k, grad_x0):
    """Model.Predict with GradX0: batch-major in, batch-major out."""
    B, H, td = x.shape
    toks = net.tokens(x, k, requires_grad=True)
    out = net(obs0, toks)                                   # (H*B) x td, time-major
    up = grad_x0.transpose(0, 1).reshape(H * B, td)         # graph.feedTokens
    gs = torch.autograd.grad(out, toks, grad_outputs=up)
    x0 = out.detach().reshape(H, B, td).transpose(0, 1).contiguous()
    gx = torch.stack([g[:, :td] for g in gs], 1)           # graph.readGradX
    return x0, gx


def timeit(fn, min_time, min_reps, warmup):
    """Median wall time per call, calls made, and process CPU time per call
    (what an idle core would take at one thread; the Go benchmarks report
    the same as cpu-ms/op)."""
    for _ in range(warmup):
        fn()
    ts = []
    start = time.perf_counter()
    cpu0 = time.process_time()
    while len(ts) < min_reps or time.perf_counter() - start < min_time:
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts), len(ts), (time.process_time() - cpu0) / len(ts)


def bench_vjp(args, report):
    c = dict(DEFAULT)
    torch.manual_seed(0)
    net = Net(c)
    net.requires_grad_(False)   # the planner's pass: gradient w.r.t. tokens only
    H, td = 60, token_dim(c)
    for B in args.batches:
        obs0 = torch.randn(B, c["obs_dim"])
        x = torch.randn(B, H, td)
        k = torch.randint(0, c["diffusion_steps"] + 1, (B, H))
        gx0 = torch.randn(B, H, td)
        med, n, cpu = timeit(lambda: predict_vjp(net, obs0, x, k, gx0), args.min_time, args.min_reps, args.warmup)
        report(f"PredictVJP/B={B}", med, n, B * H, cpu)


def bench_train(args, report):
    B, H = 32, 24   # DefaultTrainConfig: Batch 32, Horizon 24
    for name, z, hidden, layers in TRAIN_SIZES:
        if args.train_sizes and name not in args.train_sizes:
            continue
        c = dict(DEFAULT, z_dim=z, hidden=hidden, layers=layers)
        torch.manual_seed(0)
        net = Net(c)
        td, T = token_dim(c), c["diffusion_steps"]
        decay = [p for n, p in net.w.items() if p.dim() == 2]
        nodecay = [p for n, p in net.w.items() if p.dim() == 1]
        opt = torch.optim.AdamW([{"params": decay, "weight_decay": 1e-4},
                                 {"params": nodecay, "weight_decay": 0.0}],
                                lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
        # Linear schedule's alpha_bar (dynamics/schedule.go): betas 1e-4..2e-2 at T=1000.
        betas = torch.linspace(1e-4, 2e-2, T, dtype=torch.float64)
        abar = torch.cat([torch.ones(1, dtype=torch.float64), torch.cumprod(1 - betas, 0)]).float()
        pool = torch.randn(4096, H, td)   # stands in for the clean training windows
        obs_pool = torch.randn(4096, c["obs_dim"])

        def step():
            # sample: windows, per-token noise level, x_k = sqrt(ab) x0 + sqrt(1-ab) eps
            idx = torch.randint(0, pool.shape[0], (B,))
            x0, obs0 = pool[idx], obs_pool[idx]
            k = torch.randint(0, T + 1, (B, H))
            ab = abar[k][..., None]
            x = ab.sqrt() * x0 + (1 - ab).sqrt() * torch.randn_like(x0)
            out = net(obs0, net.tokens(x, k))
            target = x0.transpose(0, 1).reshape(H * B, td)
            loss = torch.nn.functional.mse_loss(out, target)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            return loss.item()
        med, n, cpu = timeit(step, args.min_time, args.min_reps, args.warmup)
        report(f"TrainStep/{name}", med, n, B * H, cpu)


def loaded_blas():
    """Path of the BLAS library this process actually mapped."""
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1]
            if "blas" in os.path.basename(path):
                return os.path.realpath(path)
    return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=1, help="torch.set_num_threads, OMP_NUM_THREADS and OPENBLAS_NUM_THREADS (default 1)")
    ap.add_argument("--blas", choices=["system", "openblas"], default="system",
                    help="BLAS under torch: the system's libblas.so.3 (Debian default: reference BLAS) "
                         "or OpenBLAS from libopenblas0-pthread, via LD_LIBRARY_PATH")
    ap.add_argument("--only", choices=["vjp", "train"], help="run one benchmark group")
    ap.add_argument("--batches", type=int, nargs="+", default=[1, 8, 32], help="vjp batch sizes")
    ap.add_argument("--train-sizes", nargs="+", help="subset of " + ", ".join(s[0] for s in TRAIN_SIZES))
    ap.add_argument("--warmup", type=int, default=5, help="untimed calls first (default 5)")
    ap.add_argument("--min-reps", type=int, default=20, help="at least this many timed calls (default 20)")
    ap.add_argument("--min-time", type=float, default=2.0, help="and at least this many seconds (default 2)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}, float32, CPU, BLAS {loaded_blas()}, "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY')}; "
          f"median of timed calls after {args.warmup} warm-up calls")
    params = sum(math.prod(s) for _, s in param_shapes(DEFAULT))
    print(f"# default config: {params} parameters")

    def report(name, sec, n, tokens, cpu):
        print(f"{name:34s} {n:6d} reps {sec * 1e3:10.2f} ms/op {tokens / sec:12.0f} tokens/s {cpu * 1e3:10.2f} cpu-ms/op", flush=True)
    if args.only in (None, "vjp"):
        bench_vjp(args, report)
    if args.only in (None, "train"):
        bench_train(args, report)


if __name__ == "__main__":
    sys.exit(main())
