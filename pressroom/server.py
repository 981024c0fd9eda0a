"""``pressroom server start|status|stop|env``: one local Prefect server that pressroom manages.

Without a Prefect API every command that runs a flow starts Prefect's temporary server first
(18-25 s here) and forgets its runs on exit. ``pressroom server start`` runs ``prefect server
start`` in the background on 127.0.0.1 (its SQLite database and the UI as Prefect keeps them,
under ``$PREFECT_HOME``) and records where it listens in ``$PREFECT_HOME/pressroom-server.json``.
Every later ``pressroom`` command reads that file: when ``PREFECT_API_URL`` is unset and the
recorded process lives, it sets ``PREFECT_API_URL`` to the server for its own run
(:func:`use_managed_server`). Prefect's own CLI reads no such file: ``eval "$(pressroom server
env)"`` exports the variable in a shell. pressroom never writes it into a Prefect profile, which
would outlive the server (a reboot) and send every later Prefect run to a dead address.

The state file is ours rather than Prefect's ``server.pid`` (``prefect server start
--background``): that one holds only a pid, not where the server listens, and Prefect's
background mode sends the server's output to a pipe of the process that started it, which
exits, so nothing the server logs later is kept. Here its output goes to
``$PREFECT_HOME/pressroom-server.log``.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import click

__all__ = [
    "ServerState",
    "prefect_home",
    "read_state",
    "serve_notice",
    "server_group",
    "temporary_api_notice",
    "use_managed_server",
]

STATE_FILE = "pressroom-server.json"
LOG_FILE = "pressroom-server.log"
DEFAULT_PORT = 4200
START_TIMEOUT = 120.0  # a first start migrates a new database: ~10 s here, more on a slow CI
STOP_TIMEOUT = 20.0
# what configure_prefect sets for the temporary API only: the managed server keeps its own
_NOT_FOR_THE_SERVER = ("PREFECT_API_URL", "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL")


@dataclass(frozen=True)
class ServerState:
    """What ``start`` recorded: the process, where it listens, since when, its log."""

    pid: int
    host: str
    port: int
    started_at: str  # ISO 8601, UTC
    log: str

    @property
    def ui_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.ui_url}/api"


def prefect_home() -> Path:
    """Prefect's home folder, as Prefect resolves it by default (``$PREFECT_HOME``)."""
    return Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()


def _state_path() -> Path:
    return prefect_home() / STATE_FILE


def _exited(pid: int) -> bool:
    """True when ``pid`` is gone, or a zombie no parent has collected yet (some containers'
    init never does): either way nothing runs there."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # another user's process
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False  # no /proc (macOS): the signal said it runs
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def _alive(pid: int) -> bool:
    """True when ``pid`` runs and (where /proc tells) is a Prefect server, not a reused pid."""
    if _exited(pid):
        return False
    try:
        return b"prefect" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return not Path("/proc").is_dir()  # no /proc (macOS): trust the signal
    except OSError:
        return True


def read_state() -> ServerState | None:
    """The recorded server when its process still runs; a stale file (dead pid) is removed."""
    path = _state_path()
    try:
        state = ServerState(**json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError):
        path.unlink(missing_ok=True)  # unreadable: nothing to trust in it
        return None
    if not _alive(state.pid):
        path.unlink(missing_ok=True)
        return None
    return state


def _create_state(state: ServerState) -> None:
    """Write the state file whole or not at all (a command reading it never sees half of it);
    FileExistsError when there is one already."""
    path = _state_path()
    draft = path.with_name(f"{path.name}.{os.getpid()}")
    draft.write_text(json.dumps(asdict(state)), encoding="utf-8")
    try:
        os.link(draft, path)  # atomic, and fails when the file exists
    finally:
        draft.unlink()


def command_name() -> str:
    """``pressroom`` as this process was started (``.venv/bin/pressroom`` when typed so), for
    commands we print: a bare ``pressroom`` may not be on PATH."""
    typed = sys.argv[0] if sys.argv else ""
    return typed if Path(typed).name == "pressroom" else "pressroom"


def use_managed_server() -> ServerState | None:
    """Point this process's Prefect at the managed server when it runs and the user set no
    ``PREFECT_API_URL``; returns the server used (None: the user's URL or no server)."""
    if os.environ.get("PREFECT_API_URL", "").strip():
        return None
    state = read_state()
    if state is not None:
        os.environ["PREFECT_API_URL"] = state.api_url
    return state


def temporary_api_notice() -> str | None:
    """The one line a flow command prints when it will start Prefect's temporary API."""
    if os.environ.get("PREFECT_API_URL", "").strip():
        return None
    return (
        "hint: no Prefect server: starting a temporary one for this command (~20 s); "
        f"`{command_name()} server start` once makes every command start in about a second"
    )


def serve_notice() -> str:
    """What ``pressroom serve`` says first: the Prefect API its deployments live on, and whether
    other terminals can reach them."""
    url = os.environ.get("PREFECT_API_URL", "").strip()
    if not url:
        return (
            "pressroom serve: no Prefect server is running, so the deployments live on a "
            "temporary Prefect API inside this process: other terminals (`prefect deployment "
            "run ...`) cannot reach them, and the UI and run history end with it. "
            f"Run `{command_name()} server start` first to serve on a lasting server."
        )
    state = read_state()
    if state is not None and state.api_url == url:
        return (
            "pressroom serve: deployments on the Prefect server pressroom manages "
            f"({state.ui_url}); other terminals reach them after "
            f'`eval "$({command_name()} server env)"`'
        )
    return f"pressroom serve: deployments on the Prefect server at PREFECT_API_URL={url}"


def _healthy(api_url: str, timeout: float = 2.0) -> bool:
    import httpx

    try:
        return httpx.get(f"{api_url}/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def _uptime(state: ServerState) -> str:
    seconds = int((datetime.now(UTC) - datetime.fromisoformat(state.started_at)).total_seconds())
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m {seconds:02d}s"


def _port_free(host: str, port: int) -> bool:
    import socket

    with socket.socket() as sock:
        # as the server binds: a port left in TIME_WAIT by the last stop is free
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _server_env() -> dict[str, str]:
    """The server's environment: the user's, without what pressroom sets for its own runs (the
    temporary API's in-memory database would leave the UI without history)."""
    from pressroom.prefect_env import IN_MEMORY_DATABASE

    env = {k: v for k, v in os.environ.items() if k not in _NOT_FOR_THE_SERVER}
    for key in ("PREFECT_SERVER_DATABASE_CONNECTION_URL", "PREFECT_API_DATABASE_CONNECTION_URL"):
        if env.get(key) == IN_MEMORY_DATABASE:
            del env[key]
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    return env


def _prefect_command() -> list[str]:
    """``prefect`` of this interpreter's environment (beside ``python``, else on PATH)."""
    beside = Path(sys.executable).parent / "prefect"
    return [str(beside) if beside.exists() else "prefect"]


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@click.group(name="server")
def server_group() -> None:
    """A local Prefect server in the background, used by every later pressroom command."""


@server_group.command()
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=START_TIMEOUT,
    show_default=True,
    help="Seconds to wait for the server to answer.",
)
def start(port: int, timeout: float) -> None:
    """Start the Prefect server on 127.0.0.1 (UI at its URL) unless one already runs."""
    state = read_state()  # a stale state file goes here
    if state is not None:
        click.echo(
            f"a Prefect server already runs: {state.ui_url} (pid {state.pid}, "
            f"up {_uptime(state)}); `{command_name()} server stop` stops it"
        )
        return
    host = "127.0.0.1"
    if not _port_free(host, port):
        raise click.ClickException(
            f"port {port} on {host} is in use by another program: "
            f"choose another with `{command_name()} server start --port N`"
        )
    home = prefect_home()
    home.mkdir(parents=True, exist_ok=True)
    log_path = home / LOG_FILE
    click.echo(f"starting a Prefect server on http://{host}:{port} (a first start takes ~10 s)...")
    with log_path.open("wb") as log:  # the log of the last start
        proc = subprocess.Popen(
            [*_prefect_command(), "server", "start", "--host", host, "--port", str(port)],
            env=_server_env(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C in this terminal does not reach it
        )
    state = ServerState(proc.pid, host, port, datetime.now(UTC).isoformat(), str(log_path))
    try:  # exclusive: of two starts at once, one records its server, the other stops its own
        _create_state(state)
    except FileExistsError:
        _terminate(proc.pid)
        raise click.ClickException(
            "another `server start` is starting a Prefect server right now: "
            f"`{command_name()} server status` tells when it answers"
        ) from None
    deadline = time.monotonic() + timeout
    while not (_healthy(state.api_url) and proc.poll() is None):
        if proc.poll() is not None or time.monotonic() > deadline:
            if proc.poll() is None:
                _terminate(proc.pid)
            _state_path().unlink(missing_ok=True)
            raise click.ClickException(
                f"the Prefect server did not start (log {log_path}):\n{_tail(log_path)}"
            )
        time.sleep(0.3)
    click.echo(f"Prefect server running: UI {state.ui_url}, API {state.api_url}, pid {proc.pid}")
    click.echo("every pressroom command now uses it; for Prefect's own CLI in a shell:")
    click.echo(f'  eval "$({command_name()} server env)"')


@server_group.command()
def status() -> None:
    """Where the managed server listens, its pid and uptime; exit 1 when none runs."""
    state = read_state()
    if state is None:
        click.echo(
            f"no Prefect server managed by pressroom is running (`{command_name()} server start`)"
        )
        sys.exit(1)
    answers = "answering" if _healthy(state.api_url) else "NOT answering"
    click.echo(f"Prefect server: {state.ui_url} ({answers})")
    click.echo(f"  API:    {state.api_url}")
    click.echo(f"  pid:    {state.pid}")
    click.echo(f"  uptime: {_uptime(state)}")
    click.echo(f"  log:    {state.log}")
    if answers != "answering":
        sys.exit(1)


def _terminate(pid: int) -> bool:
    """SIGTERM to the server's process group, SIGKILL after STOP_TIMEOUT; True when it ended."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return True
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline:
        _reap(pid)
        if _exited(pid):
            return True
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    return False


def _reap(pid: int) -> None:
    """Collect the exit status when the server is our own child (``start`` failing)."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


@server_group.command()
def stop() -> None:
    """Stop the managed server (its database and run history stay for the next start)."""
    state = read_state()
    if state is None:
        click.echo("no Prefect server managed by pressroom is running")
        return
    clean = _terminate(state.pid)
    _state_path().unlink(missing_ok=True)
    how = "stopped" if clean else f"killed (no exit within {STOP_TIMEOUT:.0f} s of SIGTERM)"
    click.echo(f"Prefect server {state.ui_url} (pid {state.pid}) {how}")


@server_group.command()
def env() -> None:
    """Print `export PREFECT_API_URL=...` for the running server, for eval in a shell."""
    state = read_state()
    if state is None:
        click.echo("# no Prefect server managed by pressroom is running", err=True)
        sys.exit(1)
    click.echo(f"export PREFECT_API_URL={state.api_url}")
