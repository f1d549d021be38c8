"""Solution: parse_query."""

from urllib.parse import unquote_plus


def parse_query(query: str) -> dict[str, list[str]]:
    """Decode `a=1&b=x+y&a=2` into {"a": ["1", "2"], "b": ["x y"]}."""
    result: dict[str, list[str]] = {}
    for piece in query.split("&"):
        if not piece:
            continue
        # Split before decoding, so an encoded "&" or "=" stays data.
        name, _, value = piece.partition("=")
        result.setdefault(unquote_plus(name), []).append(unquote_plus(value))
    return result
