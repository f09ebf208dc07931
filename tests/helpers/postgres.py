"""A throwaway PostgreSQL cluster for the tests: initdb + pg_ctl as an unprivileged user.

`initdb` and `pg_ctl` refuse to run as root; when the tests run as root, both run as `nobody`
through `runuser` (see STYLE.md). The server listens only on a unix socket in its own folder.

Made to be cheap to throw away, because the suite makes one database per test (~7.5 MB each, a
copy of template1) and then deletes the whole folder: the cluster lives on a RAM disk
(/dev/shm) when there is one, databases are created by copying files (`strategy file_copy`, no
copy of the template through the WAL), WAL segments are 1 MB and few, and `stop()` kills the
server without waiting for it (immediate mode, `-W`) before removing the folder. On the
machine this was measured on, deleting the folder on disk had cost ~99 s of the suite's wall time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

RAM_DISK = Path("/dev/shm")

# Durability is not wanted from a cluster that is deleted after the run; small WAL keeps the
# folder small. `-c name=value` settings on top of fsync=off and synchronous_commit=off.
TEST_SETTINGS: Mapping[str, str] = {
    "full_page_writes": "off",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "max_wal_size": "32MB",
    "min_wal_size": "2MB",
}


@dataclass
class Cluster:
    root: Path
    port: int

    @property
    def socket_dir(self) -> Path:
        return self.root

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@/{dbname}?host={self.socket_dir}&port={self.port}"

    def create_database(self, template: str | None = None) -> str:
        """Create a fresh database (empty, or a file copy of `template`) and return its URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        source = f' template "{template}"' if template else ""
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'create database "{name}"{source} strategy file_copy')
        return self.url(name)

    def create_template(self, name: str, fill: Callable[[str], None]) -> str:
        """A database `fill`ed once (given its URL), to be copied by create_database(template=name).

        PostgreSQL copies a template only while nobody is connected to it, so `fill` must close
        every connection it opens (the store's connections last one transaction each)."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'create database "{name}" strategy file_copy')
        fill(self.url(name))
        return name

    def stop(self) -> None:
        """Kill the server (no shutdown checkpoint, no waiting: the data is thrown away) and remove
        its folder."""
        _run(["pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-W", "stop"], check=False)
        shutil.rmtree(self.root, ignore_errors=True)


def _as_user(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "nobody", "--"] + cmd
    return cmd


def _run(cmd: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_as_user(cmd), check=check, capture_output=True, text=True)


def available() -> str | None:
    """None when a cluster can be started here, else the reason it cannot."""
    for tool in ("initdb", "pg_ctl"):
        if shutil.which(tool) is None:
            return f"{tool} is not on PATH"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed"
    return None


def _parent(ram: bool) -> str | None:
    """/dev/shm when asked for and writable, else the default temporary folder."""
    if ram and RAM_DISK.is_dir() and os.access(RAM_DISK, os.W_OK | os.X_OK):
        return str(RAM_DISK)
    return None


def start(port: int = 0, *, ram: bool = True, settings: Mapping[str, str] | None = None) -> Cluster:
    """initdb a new cluster in a temporary folder and start it on a unix socket.

    `ram=False` keeps it on disk and `settings` replaces TEST_SETTINGS (the benchmark measures a
    server closer to a real one: `start(ram=False, settings={})`)."""
    root = Path(tempfile.mkdtemp(prefix="tm-pg-", dir=_parent(ram)))
    os.chmod(root, 0o777)
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "nobody", "nogroup")
    port = port or 20000 + (os.getpid() % 20000)
    extra = TEST_SETTINGS if settings is None else settings
    segsize = ["--wal-segsize=1"] if settings is None else []
    _run(["initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8",
          "--locale=C.UTF-8", *segsize])
    opts = f"-k {root} -p {port} -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
    opts += "".join(f" -c {name}={value}" for name, value in extra.items())
    res = _run(["pg_ctl", "-D", str(data), "-o", opts, "-l", str(root / "log"), "-w", "start"], check=False)
    if res.returncode != 0:
        log = (root / "log").read_text() if (root / "log").exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"pg_ctl start failed: {res.stderr}\n{log}")
    return Cluster(root, port)
