"""The application factory: typed keys, resources opened and closed in cleanup_ctx, middlewares, routes."""
from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from backend import keys
from backend.adapters.ca.simulated import SimulatedCA
from backend.adapters.documents.pool import RenderPool
from backend.adapters.sms import NoSmsGateway
from backend.adapters.sms.fake import FakeSmsGateway
from backend.adapters.uscc.durable import DurableUsccAllocator
from backend.adapters.drafting import drafting_provider
from backend.adapters.wechat.client import WeChatClient
from backend.adapters.wechat.fake_platform import create_fake_wechat_app
from backend.clock import OffsetClock, SystemClock
from backend.db import close_database, open_database
from backend.errors import Unauthorized
from backend.http.openapi import Operation, build_document
from backend.http.problems import problem_middleware
from backend.http.ratelimit import RateLimiter
from backend.http.wechat_proxy import create_wechat_proxy
from backend.http.routes import applications, auth, identity_check, ledger, licences, meta, mock_officers, names, officer, participants, partner, partner_applications
from backend.http.routes import confirm_page, signing as signing_routes
from backend.http.routes.simulator import setup_simulator
from backend.http.routes import console, documents_read
from backend.http.routes import scope as scope_routes
from backend.ledger.checkpoint import NoteSigner
from backend.ledger.sequencer import Sequencer, sequencer_loop
from backend.ledger.store import LedgerStore
from backend.ledger.witnessing import CosignatureCollector, collector_loop, parse_witnesses
from backend.secrets import load_secrets, make_sealer
from backend.services import clock as clock_service
from backend.services.container import Services
from backend.services.credentials import LicenceIssuer, derive_issuer_key
from backend.services.messages import MessageSender, message_loop
from backend.services.notifications import Deliverer, delivery_loop
from backend.services.name_engine import NameEngine
from backend.services.review import resume_pending_reviews
from backend.services.tokens import TokenService
from backend.settings import Settings

log = logging.getLogger(__name__)


class PathOnlyAccessLogger(AbstractAccessLogger):
    """Access log without query strings: WeChat's API carries the app secret and codes in them."""

    def log(self, request, response, time) -> None:  # noqa: A002 - aiohttp's signature
        self.logger.info("%s %s %s %.1fms", request.method, request.path, response.status, time * 1000)


@web.middleware
async def mock_clock_middleware(request: web.Request, handler):
    """In mock mode, adopt the shared clock offset before each request (another process may have moved it)."""
    watch = request.config_dict.get(keys.CLOCK_WATCH)
    if watch is not None and not request.path.startswith("/mock/wechat/"):
        await watch.refresh()
    return await handler(request)


def require_bearer(handler, *, officer: bool):
    """Refuse (401) a call without a valid token of the right kind (an officer's on the officers' API, an applicant's
    elsewhere) before anything else reads the request; the handler still decides what the caller may do."""

    @functools.wraps(handler)
    async def guarded(request: web.Request) -> web.StreamResponse:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized()
        tokens = request.config_dict[keys.SERVICES].tokens
        (tokens.verify_officer if officer else tokens.verify_access)(token.strip())
        return await handler(request)

    return guarded


def all_operations(settings: Settings) -> list[Operation]:
    """Every endpoint of the service, from the route modules."""
    return [
        *meta.operations(mock_mode=settings.mock_mode),
        *auth.operations(),
        *applications.operations(),
        *names.operations(),
        *identity_check.operations(),
        *participants.operations(mock_mode=settings.mock_mode),
        *scope_routes.operations(),
        *documents_read.operations(),
        *licences.operations(),
        *ledger.operations(),
        *partner.operations(),
        *partner_applications.operations(),
        *officer.operations(),
        *console.operations(),
        *mock_officers.operations(mock_mode=settings.mock_mode),
        *signing_routes.operations(mock_mode=settings.mock_mode),
        *confirm_page.operations(),
    ]


async def database_ctx(app: web.Application) -> AsyncIterator[None]:
    """Open the ORM for the app's lifetime; load the shared clock offset in mock mode."""
    settings = app[keys.SETTINGS]
    await open_database(settings.db_url)
    clock = app[keys.CLOCK]
    if isinstance(clock, OffsetClock):
        app[keys.CLOCK_WATCH] = clock_service.OffsetWatch(clock, stamp=clock_service.stamp_path(settings.var_dir))
        await app[keys.CLOCK_WATCH].refresh()
    yield
    await close_database()


async def services_ctx(app: web.Application) -> AsyncIterator[None]:
    """Build the HTTP session, the WeChat client and every service; resume reviews left pending."""
    settings = app[keys.SETTINGS]
    secrets = app[keys.SECRETS]
    clock = app[keys.CLOCK]
    rendering = RenderPool(processes=settings.render_processes)
    app[keys.DRAFTING] = drafting_provider(url=settings.drafting_url, model=settings.drafting_model,
                                           api_key=settings.drafting_api_key)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as session:
        wechat = WeChatClient(
            session=session, base_url=settings.wechat_url, appid=settings.wechat_appid, secret=settings.wechat_secret, clock=clock
        )
        signers = [NoteSigner(settings.ledger_key_name, secrets.ledger_key)]
        signers += [NoteSigner(name, key) for name, key in secrets.ledger_additional_keys]
        ledger_store = LedgerStore(signers=signers, origin=settings.ledger_origin)
        sealer = make_sealer(secrets)
        await ledger_store.ensure_head()
        app[keys.SERVICES] = Services(
            settings=settings,
            clock=clock,
            sealer=sealer,
            ledger=ledger_store,
            sequencer=Sequencer(store=ledger_store),
            witnessing=CosignatureCollector(
                store=ledger_store, session=session, witnesses=parse_witnesses(settings.ledger_witnesses), clock=clock
            ),
            tokens=TokenService(
                key=secrets.token_key,
                issuer=settings.jwt_issuer,
                audience=settings.jwt_audience,
                ttl=settings.access_token_ttl,
                refresh_ttl=settings.refresh_token_ttl,
                clock=clock,
            ),
            wechat=wechat,
            ca=SimulatedCA(key=secrets.ca_key),
            uscc=DurableUsccAllocator(clock=clock),
            rendering=rendering,
            notifications=Deliverer(session=session, sealer=sealer, clock=clock),
            messages=MessageSender(wechat=wechat, clock=clock),
            credentials=LicenceIssuer(key=derive_issuer_key(secrets.ca_key)),
            names=await NameEngine.load(settings.names_registry_csv),
            sms=FakeSmsGateway(sealer=sealer) if settings.mock_mode else NoSmsGateway(),
        )
        await rendering.start()  # before the server reports ready: the first formations find warm workers
        try:
            yield
        finally:
            await asyncio.get_running_loop().run_in_executor(None, rendering.close)


async def sequencer_ctx(app: web.Application) -> AsyncIterator[None]:
    """Sequence ledger records left pending (by a process that stopped after its commit) in the background."""
    async for _ in sequencer_loop(app[keys.SERVICES].sequencer):
        yield


async def notifications_ctx(app: web.Application) -> AsyncIterator[None]:
    """Deliver webhook events to the subscribed departments and banks, every WEBHOOK_INTERVAL seconds."""
    async for _ in delivery_loop(app[keys.SERVICES].notifications, interval=app[keys.SETTINGS].webhook_interval):
        yield


async def messages_ctx(app: web.Application) -> AsyncIterator[None]:
    """Send applicants' subscribe messages from their outbox, every MESSAGE_INTERVAL seconds."""
    async for _ in message_loop(app[keys.SERVICES].messages, interval=app[keys.SETTINGS].message_interval):
        yield


async def witnessing_ctx(app: web.Application) -> AsyncIterator[None]:
    """Ask the configured witnesses to cosign the latest checkpoint, every WITNESS_INTERVAL seconds."""
    collector = app[keys.SERVICES].witnessing
    if not collector.witnesses:
        yield
        return
    async for _ in collector_loop(collector, interval=app[keys.SETTINGS].witness_interval):
        yield


async def _resume_reviews(app: web.Application) -> None:
    resumed = await resume_pending_reviews(app[keys.SERVICES])
    if resumed:
        log.info("resumed %d pending reviews", resumed)


def create_app(settings: Settings) -> web.Application:
    """Build the web application for `settings`."""
    # Middleware order, outermost first: problem_middleware turns every error (including the clock's) into an
    # RFC 9457 problem; mock_clock_middleware then syncs the shared clock before the handler runs.
    middlewares = [problem_middleware]
    if settings.mock_mode:
        middlewares.append(mock_clock_middleware)
    app = web.Application(middlewares=middlewares, client_max_size=settings.max_body_bytes)
    app[keys.SETTINGS] = settings
    app[keys.CLOCK] = OffsetClock() if settings.mock_mode else SystemClock()
    app[keys.SECRETS] = load_secrets(settings)
    app.cleanup_ctx.append(database_ctx)
    app.cleanup_ctx.append(services_ctx)
    app.cleanup_ctx.append(sequencer_ctx)
    app.cleanup_ctx.append(witnessing_ctx)
    app.cleanup_ctx.append(notifications_ctx)
    app.cleanup_ctx.append(messages_ctx)
    app.on_startup.append(_resume_reviews)

    operations = all_operations(settings)
    for op in operations:
        guarded = require_bearer(op.handler, officer=op.path.startswith("/api/v1/officer/")) if op.auth else op.handler
        app.router.add_route(op.method, op.path, guarded)
    app[keys.RATE_LIMITS] = {
        bucket: RateLimiter(bucket=bucket, per_minute=per_minute, clock=app[keys.CLOCK])
        for bucket, per_minute in (("login", settings.login_rate), ("names", settings.name_check_rate),
                                   ("identity_check", settings.identity_check_rate), ("verify", settings.verify_rate),
                                   ("document_read", settings.document_read_rate), ("scope", settings.scope_rate),
                                   ("rendering", settings.rendering_rate))
    }
    app[keys.OPENAPI] = build_document(operations, title="Kaiban (开办) API", version=meta.VERSION)
    if settings.mock_mode:  # the fake WeChat platform exists only in mock mode
        fake = (create_wechat_proxy(target=settings.fake_wechat_url) if settings.fake_wechat_url else
                create_fake_wechat_app(clock=app[keys.CLOCK], appid=settings.wechat_appid, secret=settings.wechat_secret))
        app.add_subapp("/mock/wechat/", fake)  # several server processes forward to the one fake platform
        setup_simulator(app, directory=settings.mock_app_dir)
    return app
