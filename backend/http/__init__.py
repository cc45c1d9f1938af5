"""The HTTP edge: routes (one module per resource), request parsing, problem+json errors, auth and OpenAPI."""
