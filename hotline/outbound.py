"""Wiring of the outbound dialer: the callbacks first, then the revisits, on one channel cap."""

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hotline.revisits.campaign import RevisitCampaign
from hotline.revisits.config import revisit_rules
from hotline.settings import Settings
from kernel.clock import now as beijing_now
from telephony.callbacks.campaign import CallbackCampaign
from telephony.outbound.config import OUTBOUND, SIMULATED_CITIZEN, OutboundConfig
from telephony.outbound.ports import AmiPort
from telephony.outbound.service import OutboundDialer


def dial_template(settings: Settings) -> str:
    """The configured dial string, else the trunk's path, else (no trunk) simulated citizens."""
    if settings.revisit_dial:
        return settings.revisit_dial
    return OUTBOUND if any(p.kind == "trunk" for p in settings.sip_peers) else SIMULATED_CITIZEN


def outbound_config(settings: Settings) -> OutboundConfig:
    """The deployment's cap, dial string and ring timeout."""
    return OutboundConfig(cap=settings.revisit_max_channels, dial=dial_template(settings),
                          ring_timeout=settings.ring_timeout_seconds)


def outbound_dialer(settings: Settings, sessionmaker: async_sessionmaker[AsyncSession],
                    ami: AmiPort, clock: Callable[[], datetime] = beijing_now
                    ) -> OutboundDialer:
    """The dialer with both campaigns: a missed caller is called back before any revisit."""
    campaigns = (CallbackCampaign(sessionmaker),
                 RevisitCampaign(sessionmaker, revisit_rules(settings)))
    return OutboundDialer(campaigns, ami, outbound_config(settings), clock)
