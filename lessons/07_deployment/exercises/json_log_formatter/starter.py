"""Exercise json_log_formatter: one JSON object per log line.

Text logs are for people reading one line. Production logs are read by
machines (Loki, Elasticsearch, CloudWatch, jq) that filter and count across
millions of lines. One JSON object per line makes every field searchable:
`jq 'select(.request_id == "abc")'`.
"""

import datetime as dt  # noqa: F401  (you will need it)
import json  # noqa: F401  (you will need it)
import logging

# Extra fields a caller may attach with logger.info("...", extra={...}).
EXTRA_FIELDS = ("request_id", "method", "path", "status", "duration_ms")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        # TODO 1: build a dict with "time" (record.created as ISO 8601 in UTC),
        #         "level" (record.levelname), "logger" (record.name) and
        #         "message" (record.getMessage(): it fills in the %s args).
        # TODO 2: add each EXTRA_FIELDS attribute that the record has.
        # TODO 3: if record.exc_info, add "exception": self.formatException(...).
        # TODO 4: return json.dumps(...) of it: one line, even for a traceback.
        #         A value json cannot encode must not crash logging (default=str).
        return f"{record.levelname} {record.getMessage()}"
