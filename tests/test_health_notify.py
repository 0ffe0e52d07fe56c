"""Alert channels against real local servers: a webhook receiver (stdlib HTTP server), an SMTP
server (aiosmtpd on a socket bound to 127.0.0.1 port 0) and a real command."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import sys
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session

from newsspider.health.notify import AlertConfig, alert_payload, notify

HEALTH = {
    "status": "failed",
    "alerts": [
        {
            "code": "start_page_not_fetched",
            "severity": "failed",
            "message": "start page http://x/ was not fetched: site unreachable",
        }
    ],
}


def payload(status: str = "failed") -> dict[str, Any]:
    return alert_payload(
        run_id="20261128T0900Z-frontpage-ab12",
        site="example.com",
        spider="frontpage",
        health={**HEALTH, "status": status},
        run_dir="exports/20261128T0900Z-frontpage-ab12",
    )


class Receiver(BaseHTTPRequestHandler):
    received: list[tuple[str, str, bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.received.append((self.path, self.headers.get("Content-Type", ""), body))
        self.send_response(500 if self.path == "/broken" else 200)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def http_receiver() -> Iterator[tuple[str, list[tuple[str, str, bytes]]]]:
    handler = type("R", (Receiver,), {"received": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}", handler.received
    finally:
        server.shutdown()
        server.server_close()


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Envelope] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, Mailbox]]:
    """aiosmtpd serving a socket we bound to port 0 ourselves (no bind-close-rebind race)."""
    mailbox = Mailbox()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    loop = asyncio.new_event_loop()
    started = threading.Event()
    holder: dict[str, Any] = {}

    def run() -> None:
        asyncio.set_event_loop(loop)
        holder["server"] = loop.run_until_complete(
            loop.create_server(lambda: SMTP(mailbox), sock=sock)
        )
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(10)
    try:
        yield port, mailbox
    finally:
        loop.call_soon_threadsafe(holder["server"].close)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)


def test_webhook_posts_json_with_slack_text(
    http_receiver: tuple[str, list[tuple[str, str, bytes]]],
) -> None:
    url, received = http_receiver
    outcome = notify(AlertConfig(webhook=url + "/hook"), payload())
    assert outcome == {"webhook": "sent"}
    ((path, content_type, body),) = received
    assert (path, content_type) == ("/hook", "application/json")
    data = json.loads(body)
    assert data["run_id"] == "20261128T0900Z-frontpage-ab12"
    assert (data["site"], data["status"]) == ("example.com", "failed")
    assert data["alerts"][0]["code"] == "start_page_not_fetched"
    assert data["text"].splitlines()[0] == (
        "newsspider: frontpage run 20261128T0900Z-frontpage-ab12 of example.com is FAILED"
    )


def test_a_failing_channel_is_one_warning_and_the_others_still_go(
    http_receiver: tuple[str, list[tuple[str, str, bytes]]],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    url, _ = http_receiver
    out = tmp_path / "alert.json"
    command = f"{sys.executable} -c \"import sys; open({str(out)!r}, 'w').write(sys.stdin.read())\""
    with caplog.at_level(logging.WARNING, logger="newsspider.health"):
        outcome = notify(AlertConfig(webhook=url + "/broken", command=command), payload())
    assert outcome["webhook"].startswith("error: HTTP Error 500")
    assert outcome["command"] == "sent"
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "NEWSSPIDER_ALERT_WEBHOOK" in warning.getMessage()
    assert "\n" not in warning.getMessage()
    assert json.loads(out.read_text())["status"] == "failed"


def test_email_over_smtp(smtp_server: tuple[int, Mailbox]) -> None:
    port, mailbox = smtp_server
    config = AlertConfig(
        email_to=("desk@example.com", "ops@example.com"),
        email_from="crawler@example.com",
        smtp_host="127.0.0.1",
        smtp_port=port,
    )
    assert notify(config, payload("degraded")) == {"email": "sent"}
    (envelope,) = mailbox.messages
    assert envelope.mail_from == "crawler@example.com"
    assert envelope.rcpt_tos == ["desk@example.com", "ops@example.com"]
    message = message_from_bytes(envelope.original_content or b"", policy=policy.default)
    assert message["Subject"] == (
        "newsspider: frontpage run 20261128T0900Z-frontpage-ab12 of example.com is DEGRADED"
    )
    assert "start_page_not_fetched" in message.get_content()


def test_command_gets_the_alert_json_on_stdin(tmp_path: Path) -> None:
    out = tmp_path / "stdin.json"
    command = f"{sys.executable} -c \"import sys; open({str(out)!r}, 'w').write(sys.stdin.read())\""
    assert notify(AlertConfig(command=command), payload()) == {"command": "sent"}
    assert json.loads(out.read_text()) == payload()


def test_command_that_fails_names_its_exit_status(caplog: pytest.LogCaptureFixture) -> None:
    command = f"{sys.executable} -c \"import sys; sys.exit('pager down')\""
    with caplog.at_level(logging.WARNING, logger="newsspider.health"):
        outcome = notify(AlertConfig(command=command), payload())
    assert outcome == {"command": "error: exit 1: pager down"}
    assert "NEWSSPIDER_ALERT_COMMAND" in caplog.text


def test_healthy_runs_send_nothing(http_receiver: tuple[str, list[tuple[str, str, bytes]]]) -> None:
    url, received = http_receiver
    assert notify(AlertConfig(webhook=url), payload("ok")) == {}
    assert received == []


def test_settings_are_read_once_into_a_config() -> None:
    config = AlertConfig.from_settings(
        {
            "NEWSSPIDER_ALERT_EMAIL_TO": "a@x, b@x",
            "NEWSSPIDER_ALERT_SMTP_PORT": "2525",
            "NEWSSPIDER_ALERT_SMTP_STARTTLS": "True",
        }
    )
    assert config.email_to == ("a@x", "b@x")
    assert (config.smtp_port, config.smtp_starttls, config.any) == (2525, True, True)
    assert not AlertConfig.from_settings({}).any


def test_scheduler_reports_a_crashed_crawl_as_error_and_alerts(
    http_receiver: tuple[str, list[tuple[str, str, bytes]]],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from newsspider.health.schedule import report_run
    from newsspider.schedule import SiteConfig

    url, received = http_receiver
    site = SiteConfig(
        url="https://www.example.com/",
        state_file=tmp_path / "state" / "example.com.sqlite3",
        export_dir=tmp_path / "exports",
        settings={"NEWSSPIDER_ALERT_WEBHOOK": url + "/hook"},
        extra_args=[],
    )
    with caplog.at_level(logging.INFO, logger="newsspider.schedule"):
        healthy = report_run(site, "frontpage", "run-1", 1, 2.5, 7)
    assert healthy is False
    (record,) = [r for r in caplog.records if r.name == "newsspider.schedule"]
    assert record.levelno == logging.ERROR
    assert record.getMessage().startswith("run frontpage #7 run-1: exit 1 in 2.5 s; FAILED: ")
    assert "without writing a manifest" in record.getMessage()
    ((_, _, body),) = received
    data = json.loads(body)
    assert (data["site"], data["alerts"][0]["code"]) == ("example.com", "crawl_crashed")


def test_scheduler_does_not_alert_twice(
    http_receiver: tuple[str, list[tuple[str, str, bytes]]], tmp_path: Path
) -> None:
    from newsspider.health.schedule import report_run
    from newsspider.schedule import SiteConfig

    url, received = http_receiver
    run_dir = tmp_path / "exports" / "run-2"
    run_dir.mkdir(parents=True)
    health = {**HEALTH, "site": "example.com", "notified": {"webhook": "sent"}}
    (run_dir / "manifest.json").write_text(json.dumps({"health": health, "files": {}}))
    site = SiteConfig(
        "https://www.example.com/",
        tmp_path / "s.sqlite3",
        tmp_path / "exports",
        {"NEWSSPIDER_ALERT_WEBHOOK": url + "/hook"},
        [],
    )
    assert report_run(site, "frontpage", "run-2", 4, 1.0, 1) is False
    assert received == []  # the crawl already sent it
