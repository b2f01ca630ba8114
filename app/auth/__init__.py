"""Authentication and authorization: passwords, sessions, tokens, CSRF, role dependencies."""
