"""The formation benchmark's verdict says whether the goals were met, by how much they were missed, and why."""
from bench.formation_bench import verdict

DOCUMENTS = "POST /api/v1/applications/{id}/documents"


def _run(database, processes, applicants, per_second, busy, p99=40.0, documents_p99=80.0):
    def endpoint(name, ms):
        return {"endpoint": name, "p50_ms": ms, "p95_ms": ms, "p99_ms": ms}

    return {"database": database, "processes": processes, "applicants": applicants, "formations_per_second": per_second,
            "cpu_busy": busy, "endpoints": [endpoint("POST /api/v1/applications/{id}/submit", p99),
                                            endpoint(DOCUMENTS, documents_p99)]}


def test_a_missed_throughput_goal_says_by_how_much_and_where_the_best_run_was():
    said = verdict([_run("PostgreSQL", 1, 1, 6.0, 0.55), _run("PostgreSQL", 1, 10, 10.0, 0.88, p99=350.0),
                    _run("PostgreSQL", 2, 10, 11.0, 0.99, p99=300.0)], goal=20)
    assert said.startswith("Throughput goal NOT met: 11.0 formations a second at best (PostgreSQL, 2 processes,"
                           " 10 applicants), against 20 (55% of it;")
    assert "One applicant at a time: worst p99 40 ms (goal 100 ms), documents 80 ms (goal 500 ms): met." in said
    assert "p99 rises to 350 ms with the cores 88% to 99% busy" in said
    assert "10 applicants: 11.00 vs 10.00 a second (+10%; machine CPU busy 99% vs 88%)" in said
    assert "With two processes the cores are full" in said


def test_a_met_goal_is_called_met_and_a_slow_single_applicant_is_not():
    said = verdict([_run("PostgreSQL", 1, 1, 25.0, 0.6, p99=120.0), _run("SQLite", 1, 10, 5.0, 0.5)], goal=20)
    assert said.startswith("Throughput goal met: 25.0 formations a second at best (PostgreSQL, 1 process, 1 applicant),"
                           " against 20.")
    assert "worst p99 120 ms (goal 100 ms), documents 80 ms (goal 500 ms): NOT met." in said
    assert "SQLite stays near 5.0 a second with the cores at most 50% busy" in said
    assert "cores are full" not in said


def test_every_endpoint_has_its_percentiles_at_each_concurrency_per_database_and_process_count():
    from bench.formation_bench import endpoint_tables

    runs = [_run("SQLite", 1, 1, 5.0, 0.5), _run("SQLite", 1, 10, 5.0, 0.6, p99=300.0),
            _run("PostgreSQL", 2, 1, 7.0, 0.6, documents_p99=8.5)]
    text = "\n".join(endpoint_tables(runs))
    assert "Every endpoint, SQLite, 1 process: p50 / p95 / p99 ms" in text
    assert "| endpoint | 1 applicant | 10 applicants |" in text
    assert "| POST …/submit | 40 / 40 / 40 | 300 / 300 / 300 |" in text
    assert "Every endpoint, PostgreSQL, 2 processes" in text and "| POST …/documents | 8.5 / 8.5 / 8.5 |" in text


def test_two_processes_slower_for_one_applicant_is_said_and_not_when_they_are_not():
    slower = verdict([_run("PostgreSQL", 1, 1, 7.0, 0.58), _run("PostgreSQL", 2, 1, 6.0, 0.58)], goal=20)
    assert "With one applicant, where the cores are not full, two processes are slower" in slower
    same = verdict([_run("PostgreSQL", 1, 1, 7.0, 0.58), _run("PostgreSQL", 2, 1, 6.9, 0.58)], goal=20)
    assert "two processes are slower" not in same
