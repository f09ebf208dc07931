"""A throwaway PostgreSQL cluster for the tests: initdb + pg_ctl as an unprivileged user.

`initdb` and `pg_ctl` refuse to run as root; when the tests run as root, both run as `nobody`
through `runuser` (see STYLE.md). The server listens only on a unix socket in its own folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Cluster:
    root: Path
    port: int

    @property
    def socket_dir(self) -> Path:
        return self.root

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@/{dbname}?host={self.socket_dir}&port={self.port}"

    def create_database(self) -> str:
        """Create a fresh empty database and return its URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'create database "{name}"')
        return self.url(name)

    def stop(self) -> None:
        _run(["pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "stop"], check=False)
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


def start(port: int = 0) -> Cluster:
    """initdb a new cluster in a temporary folder and start it on a unix socket."""
    root = Path(tempfile.mkdtemp(prefix="tm-pg-"))
    os.chmod(root, 0o777)
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "nobody", "nogroup")
    port = port or 20000 + (os.getpid() % 20000)
    _run(["initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8",
          "--locale=C.UTF-8"])
    opts = f"-k {root} -p {port} -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
    res = _run(["pg_ctl", "-D", str(data), "-o", opts, "-l", str(root / "log"), "-w", "start"], check=False)
    if res.returncode != 0:
        log = (root / "log").read_text() if (root / "log").exists() else ""
        raise RuntimeError(f"pg_ctl start failed: {res.stderr}\n{log}")
    return Cluster(root, port)
