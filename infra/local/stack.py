"""The whole local stack in one object: embedded AWS, tables and buckets from template.yaml, the
demo world, the gateway under uvicorn, and snapshots of local data."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import uvicorn

from infra.local.aws import LocalAws, free_port
from infra.local.gateway import create_app


class LocalStack:
    def __init__(
        self, site_dir: Path | None, data_dir: Path | None, port: int = 0, seed: bool = True
    ) -> None:
        self.site_dir = site_dir
        self.data_dir = data_dir
        self.port = port or free_port()
        self.seed = seed
        self.aws = LocalAws()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._dirty = threading.Event()
        self._stopped = threading.Event()
        self._snapshotter: threading.Thread | None = None
        self._scheduler: threading.Thread | None = None
        self.restored = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def snapshot_path(self) -> Path | None:
        return self.data_dir / "state.json" if self.data_dir else None

    def start(self) -> LocalStack:
        self.aws.start()
        self.aws.create_resources()
        if self.data_dir:
            os.environ["OUTBOX_DIR"] = str(self.data_dir / "outbox")
        os.environ["SITE_URL"] = self.url
        # form uploads go to the gateway's same-origin stand-in for the reports bucket (no CORS)
        os.environ["UPLOAD_URL"] = f"{self.url}/_local/s3/{self.aws.environment()['REPORTS_BUCKET']}"
        self.aws.activate()
        if self.snapshot_path:
            self.restored = self.aws.restore(self.snapshot_path)
        if self.seed:
            from infra.seed import seed

            seed()
        app = create_app(self.aws.template, self.site_dir, on_write=self._dirty.set)
        # h11 refuses a request line and headers over its limit itself (a plain-text 400): let
        # through more than API Gateway's 10 KB, so the gateway answers those in the error shape.
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="off",
            http="h11",
            h11_max_incomplete_event_size=64 * 1024,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="gateway", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the gateway did not start on {self.url}")
            time.sleep(0.05)
        if self.snapshot_path:
            self._dirty.set()  # the seed may have written
            self._snapshotter = threading.Thread(target=self._snapshot_loop, name="snapshots", daemon=True)
            self._snapshotter.start()
        self._scheduler = threading.Thread(target=self._schedule_loop, name="scheduler", daemon=True)
        self._scheduler.start()
        return self

    def _schedule_loop(self) -> None:
        """The scheduled functions that must run while the stack serves (in AWS: EventBridge
        Scheduler): the information request reminders, soon after start and then on a timer
        (LOCAL_SCHEDULE_SECONDS, default hourly; each reminder is sent once however often it runs)."""
        from infra.local.gateway import LocalFunction

        spec = self.aws.template.functions["InformationRequestReminderFunction"]
        reminders = LocalFunction(spec.logical_id, spec.handler)
        every = float(os.environ.get("LOCAL_SCHEDULE_SECONDS") or 3600)
        wait = 5.0
        while not self._stopped.wait(wait):
            try:
                reminders.invoke({"source": "local.scheduler"})
                self._dirty.set()
            except Exception as error:  # keep serving; try again on the next tick
                print(f"local stack: reminder run failed ({error})", flush=True)
            wait = every

    def _snapshot_loop(self) -> None:
        # Written at most once a second after a change, so a crash loses at most a second of work.
        while not self._stopped.is_set():
            if self._dirty.wait(0.5) and not self._stopped.is_set():
                self._dirty.clear()
                try:
                    self._save()
                except Exception as error:  # keep serving; try again after the next change
                    print(f"local stack: snapshot failed ({error}); retrying", flush=True)
                    self._dirty.set()
                self._stopped.wait(1.0)

    def _save(self) -> None:
        if self.snapshot_path and self.aws.process:
            self.aws.snapshot(self.snapshot_path)

    def stop(self) -> None:
        self._stopped.set()
        if self._server:
            self._server.should_exit = True
        if self._thread:
            self._thread.join(timeout=10)
        if self._scheduler:
            self._scheduler.join(timeout=30)
        if self._snapshotter:
            self._snapshotter.join(timeout=30)
        self._save()
        self.aws.stop()

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def banner(self) -> str:
        from infra.seed import DEMO_USERS, DEMO_WORLD

        origin = "restored from the last run" if self.restored else "new demo world"
        lines = [
            "",
            "IEH portal — local stack",
            f"  Portal:  {self.url}/  (English: {self.url}/en/)",
            f"  API:     {self.url}/api/v1/health  ·  {self.url}/api/v1/openapi.json",
            f"  AWS:     moto on {self.aws.endpoint}  (tables and buckets from template.yaml)",
            f"  Data:    {self.data_dir}  ({origin})",
            f"  Demo organisations: {len(DEMO_WORLD)}; demo logins (password):",
            *(
                f"    {u.email:<28} {u.password:<28} {'IEH staff, TOTP secret ' + u.totp_secret if u.totp_secret else u.role}"
                for u in DEMO_USERS
            ),
            f"  Outbox:  {self.data_dir / 'outbox' if self.data_dir else '-'} (e-mail is written here, not sent)",
            "  Stop with Ctrl-C.",
        ]
        return "\n".join(lines)
