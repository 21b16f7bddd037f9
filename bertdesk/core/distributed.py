"""Running one job as several processes (torchrun / accelerate launch): who is who, and sharding.

Training needs nothing here: transformers.Trainer reads the launcher's environment and wraps the
model in DistributedDataParallel. Labeling splits the rows into contiguous shards, one per
process, and gathers the predictions on rank 0, which writes the one output file in row order.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class DistInfo:
    rank: int = 0
    world_size: int = 1
    local_rank: int = 0
    local_world_size: int = 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def active(self) -> bool:
        return self.world_size > 1


def dist_info() -> DistInfo:
    """What the launcher (torchrun, accelerate launch, srun + torchrun) put in the environment."""
    def env_int(name: str, default: int) -> int:
        try:
            return int(os.environ.get(name, default))
        except ValueError:
            return default
    world = env_int("WORLD_SIZE", 1)
    return DistInfo(env_int("RANK", 0), world, env_int("LOCAL_RANK", 0), env_int("LOCAL_WORLD_SIZE", world))


def threads_per_process() -> int:
    """CPU threads for this process: the cores shared out among the processes on this machine."""
    return max(1, (os.cpu_count() or 1) // dist_info().local_world_size)


def shard_bounds(n_rows: int, rank: int, world_size: int) -> tuple[int, int]:
    """Contiguous [start, end) rows of one shard; shards differ in size by at most one row."""
    base, extra = divmod(n_rows, world_size)
    start = rank * base + min(rank, extra)
    return start, start + base + (1 if rank < extra else 0)


def init_process_group() -> None:
    import torch
    import torch.distributed as dist

    if dist.is_initialized():
        return
    info = dist_info()
    if torch.cuda.is_available():
        torch.cuda.set_device(info.local_rank)
        dist.init_process_group("nccl")
    else:
        dist.init_process_group("gloo")


def gather_to_main(obj):
    """Every rank's ``obj`` as a list on rank 0 (in rank order); None on the other ranks."""
    import torch.distributed as dist

    info = dist_info()
    out = [None] * info.world_size if info.is_main else None
    dist.gather_object(obj, out, dst=0)
    return out
