"""The service layer's dependencies, built once per application and handed to every use case."""
from __future__ import annotations

import dataclasses

from backend.adapters.ca.simulated import SignatureAuthority
from backend.adapters.sms import SmsGateway
from backend.adapters.uscc import UsccAllocator
from backend.adapters.wechat.client import WeChatClient
from backend.adapters.documents.pool import RenderPool
from backend.clock import Clock
from backend.ledger.sequencer import Sequencer
from backend.ledger.store import LedgerStore
from backend.ledger.witnessing import CosignatureCollector
from backend.privacy import Sealer
from backend.services.credentials import LicenceIssuer
from backend.services.messages import MessageSender
from backend.services.notifications import Deliverer
from backend.services.name_engine import NameEngine
from backend.services.tokens import TokenService
from backend.settings import Settings


@dataclasses.dataclass(frozen=True, kw_only=True)
class Services:
    """Everything a use case may call."""

    settings: Settings
    clock: Clock
    sealer: Sealer
    ledger: LedgerStore
    sequencer: Sequencer
    witnessing: CosignatureCollector
    tokens: TokenService
    wechat: WeChatClient
    ca: SignatureAuthority
    uscc: UsccAllocator
    rendering: RenderPool
    notifications: Deliverer
    messages: MessageSender
    credentials: LicenceIssuer
    names: NameEngine
    sms: SmsGateway
