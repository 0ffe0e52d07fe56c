"""The site registry: which page objects parse which site.

To add a site, write ``newsspider/pages/<site>.py`` with a ``PROFILE`` and add its module
name to ``PROFILE_MODULES``. Spiders never change. See README "Adding a site".
"""

from __future__ import annotations

import importlib
import logging
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:  # the page objects load with the first page parsed
    from newsspider.pages.base import SiteProfile

logger = logging.getLogger(__name__)

PROFILE_MODULES: tuple[str, ...] = ("newsspider.pages.news1global",)
GENERIC = "generic"


@cache
def profiles() -> dict[str, SiteProfile]:
    """Every registered profile by name, the generic one included."""
    found: dict[str, SiteProfile] = {}
    for module_name in (*PROFILE_MODULES, "newsspider.pages.generic"):
        profile: SiteProfile = importlib.import_module(module_name).PROFILE
        found[profile.name] = profile
    return found


def get_profile(name: str) -> SiteProfile:
    """The profile called ``name``; a one-line error listing the known names otherwise."""
    known = profiles()
    if name not in known:
        raise ValueError(
            f"unknown site profile {name!r}; known profiles: {', '.join(sorted(known))}"
        )
    return known[name]


def profile_for_url(url: str) -> SiteProfile | None:
    """The profile whose domains include the URL's host (or a parent domain of it)."""
    host = (urlsplit(url).hostname or "").lower()
    for profile in profiles().values():
        for domain in profile.domains:
            if host == domain or host.endswith("." + domain):
                return profile
    return None


def detect_profile(url: str, html: str) -> SiteProfile:
    """Domain first, then a layout signature (a copy of the site on another host), else generic."""
    by_domain = profile_for_url(url)
    if by_domain is not None:
        return by_domain
    from newsspider.pages.base import text_selector  # the page kernel, only when a page is parsed

    sel = text_selector(html)
    for profile in profiles().values():
        if profile.signature_css and sel.css(profile.signature_css):
            return profile
    return profiles()[GENERIC]
