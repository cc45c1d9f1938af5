"""Kaiban mock mini-program: a test client that plays the WeChat phone against the Kaiban HTTP API.

Run it as ``python -m kaiban_mock`` (with ``miniprogram-mock`` on ``PYTHONPATH``); see ``miniprogram-mock/README.md``.
Modules: `client` (the HTTP API), `wechat` (the phone side), `scenarios` (whole runs), `steplog` (timed step lines),
`testdata` (made-up founders, names and addresses).
"""
