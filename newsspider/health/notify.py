"""Notifications for unhealthy runs: a webhook, e-mail over SMTP, a command.

Each is off until its setting is given; every configured channel gets one message per
unhealthy run (status ``degraded`` or ``failed``)::

    NEWSSPIDER_ALERT_WEBHOOK=https://hooks.slack.com/services/…   JSON POST (Slack "text" too)
    NEWSSPIDER_ALERT_EMAIL_TO=ops@example.com,desk@example.com     e-mail over SMTP
    NEWSSPIDER_ALERT_COMMAND="/usr/local/bin/page-oncall --team news"   alert JSON on stdin

Written with the standard library rather than Spidermon's actions: the scheduler must alert
when a crawl died without running any monitor, Spidermon's Slack action needs a bot token and
the Slack SDK (not an incoming webhook), and it has no generic webhook or command action
(docs/MONITORING.md).
"""

from __future__ import annotations

import functools
import json
import logging
import shlex
import smtplib
import subprocess
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from newsspider import settings as defaults  # each default: settings.py

logger = logging.getLogger("newsspider.health")

UNHEALTHY = frozenset({"degraded", "failed"})


@dataclass(frozen=True)
class AlertConfig:
    webhook: str = ""
    email_to: tuple[str, ...] = ()
    email_from: str = "newsspider@localhost"
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    command: str = ""
    timeout: float = 10.0

    @classmethod
    def from_settings(cls, settings: Any) -> AlertConfig:
        def get(name: str) -> Any:
            default = getattr(defaults, name)  # each default is declared in settings.py
            value = settings.get(name, default)
            return default if value is None else value

        to = get("NEWSSPIDER_ALERT_EMAIL_TO")
        recipients = to if isinstance(to, list | tuple) else str(to).split(",")
        return cls(
            webhook=str(get("NEWSSPIDER_ALERT_WEBHOOK")).strip(),
            email_to=tuple(r.strip() for r in recipients if r and r.strip()),
            email_from=str(get("NEWSSPIDER_ALERT_EMAIL_FROM")),
            smtp_host=str(get("NEWSSPIDER_ALERT_SMTP_HOST")),
            smtp_port=int(get("NEWSSPIDER_ALERT_SMTP_PORT")),
            smtp_user=str(get("NEWSSPIDER_ALERT_SMTP_USER")),
            smtp_password=str(get("NEWSSPIDER_ALERT_SMTP_PASSWORD")),
            smtp_starttls=str(get("NEWSSPIDER_ALERT_SMTP_STARTTLS")).lower()
            in ("1", "true", "yes"),
            command=str(get("NEWSSPIDER_ALERT_COMMAND")).strip(),
            timeout=float(get("NEWSSPIDER_ALERT_TIMEOUT")),
        )

    @property
    def any(self) -> bool:
        return bool(self.webhook or self.email_to or self.command)


def alert_payload(
    *,
    run_id: str | None,
    site: str | None,
    spider: str | None,
    health: Mapping[str, Any],
    run_dir: str | None = None,
) -> dict[str, Any]:
    """The JSON every channel sends: run id, site, status, alerts and a Slack ``text``."""
    status = str(health.get("status", "failed"))
    alerts = list(health.get("alerts", []))
    lines = [f"newsspider: {spider or 'crawl'} run {run_id} of {site} is {status.upper()}"]
    lines += [f"• {a.get('code')}: {a.get('message')}" for a in alerts]
    if run_dir:
        lines.append(f"files: {run_dir}")
    return {
        "text": "\n".join(lines),
        "run_id": run_id,
        "site": site,
        "spider": spider,
        "status": status,
        "alerts": alerts,
        "run_dir": run_dir,
    }


def send_webhook(url: str, payload: Mapping[str, Any], timeout: float) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()


def send_email(config: AlertConfig, payload: Mapping[str, Any]) -> None:
    message = EmailMessage()
    message["Subject"] = payload["text"].splitlines()[0]
    message["From"] = config.email_from
    message["To"] = ", ".join(config.email_to)
    message.set_content(
        payload["text"] + "\n\n" + json.dumps(payload["alerts"], indent=2, ensure_ascii=False)
    )
    with smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=config.timeout) as smtp:
        if config.smtp_starttls:
            smtp.starttls()
        if config.smtp_user:
            smtp.login(config.smtp_user, config.smtp_password)
        smtp.send_message(message)


def run_command(command: str, payload: Mapping[str, Any], timeout: float) -> None:
    subprocess.run(
        shlex.split(command),
        input=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        timeout=timeout,
        check=True,
        capture_output=True,
    )


def notify(config: AlertConfig, payload: Mapping[str, Any]) -> dict[str, str]:
    """Send ``payload`` on every configured channel; ``{channel: "sent" | "error: …"}``.

    A channel that fails is one WARNING line naming the setting to check; the others still go.
    """
    if payload.get("status") not in UNHEALTHY:
        return {}
    outcomes: dict[str, str] = {}
    channels: list[tuple[str, str, Callable[[], None]]] = []
    if config.webhook:
        channels.append(
            (
                "webhook",
                "NEWSSPIDER_ALERT_WEBHOOK",
                functools.partial(send_webhook, config.webhook, payload, config.timeout),
            )
        )
    if config.email_to:
        channels.append(
            ("email", "NEWSSPIDER_ALERT_SMTP_HOST", functools.partial(send_email, config, payload))
        )
    if config.command:
        channels.append(
            (
                "command",
                "NEWSSPIDER_ALERT_COMMAND",
                functools.partial(run_command, config.command, payload, config.timeout),
            )
        )
    for name, setting, send in channels:
        try:
            send()
        except (OSError, smtplib.SMTPException, subprocess.SubprocessError, ValueError) as exc:
            detail = str(exc).strip() or type(exc).__name__
            if isinstance(exc, subprocess.CalledProcessError):
                stderr = (exc.stderr or b"").decode(errors="replace").strip()
                detail = f"exit {exc.returncode}: {stderr[:200]}"
            logger.warning("Alert by %s failed (%s); check %s", name, detail, setting)
            outcomes[name] = f"error: {detail}"
        else:
            outcomes[name] = "sent"
    if outcomes:
        logger.info("Alerts: %s", ", ".join(f"{k} {v}" for k, v in outcomes.items()))
    return outcomes
