"""Logging: one JSON object per line on stderr."""

import json
import logging
import sys


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        try:
            payload = json.loads(message) if message.startswith("{") else {"message": message}
        except ValueError:
            payload = {"message": message}
        payload = {"time": self.formatTime(record), "level": record.levelname,
                   "logger": record.name, **payload}
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("etik")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
