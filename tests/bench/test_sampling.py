"""The profile summary gives each sampled stack to the part and the handler it ran in."""
from bench import sampling

HANDLER = "submit_application (backend/http/routes/applications.py:120)"
LOOP = "BaseEventLoop._run_once (asyncio/base_events.py:1922);Handle._run (asyncio/events.py:80)"


def _write(tmp_path, lines):
    path = tmp_path / "server.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_query_sent_from_a_handler_counts_as_a_socket_write_under_that_handler(tmp_path):
    path = _write(tmp_path, [
        f"{LOOP};{HANDLER};QuerySet._execute (tortoise/queryset.py:1330);"
        "Connection._do_execute (asyncpg/connection.py:2066);_SelectorSocketTransport.write (asyncio/selector_events.py:1057) 30",
        f"{LOOP};{HANDLER};QuerySet._make_query (tortoise/queryset.py:1200) 10",
        f"{LOOP};RequestHandler.finish_response (aiohttp/web_protocol.py:700) 10",
    ])
    profile = sampling.summarize([path])
    assert profile.samples == 50
    assert profile.parts == {sampling.WRITES: 30, "Tortoise ORM (building queries, loading models)": 10,
                             "aiohttp (HTTP server and client)": 10}
    assert profile.handlers == {"submit_application": 40}


def test_a_nested_route_function_is_counted_under_the_handler_that_called_it(tmp_path):
    path = _write(tmp_path, [f"{LOOP};{HANDLER};_view (backend/http/routes/views.py:12);"
                             "Sealer.open (backend/privacy.py:78) 5"])
    profile = sampling.summarize([path])
    assert profile.handlers == {"submit_application": 5}
    assert profile.parts == {"application code (backend/)": 5}


def test_the_table_gives_shares_and_milliseconds_of_the_cpu_a_formation(tmp_path):
    before = sampling.Profile(samples=100, parts={"logging": 50, sampling.OTHER: 50}, handlers={})
    after = sampling.Profile(samples=100, parts={"logging": 25, sampling.OTHER: 75}, handlers={})
    rows = sampling.shares_table(before, after, of="parts", cpu_ms=(100.0, 80.0))
    assert rows == [[sampling.OTHER, "50.0%", "50.0", "75.0%", "60.0"], ["logging", "50.0%", "50.0", "25.0%", "20.0"]]


def test_missing_or_garbled_output_adds_nothing(tmp_path):
    path = _write(tmp_path, ["not a stack", ""])
    assert sampling.summarize([path, tmp_path / "absent.txt"]).samples == 0
