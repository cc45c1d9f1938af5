"""WeChat: the HTTP client the backend uses (`client`), the pure protocol helpers (`protocol`), and the
protocol-faithful fake platform that mock mode mounts under `/mock/wechat` (`fake_platform`, `fake_state`)."""
