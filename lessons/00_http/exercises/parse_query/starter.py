"""Exercise parse_query: decode a query string by hand.

`/search?q=caf%C3%A9&tag=a&tag=b` carries `q=caf%C3%A9&tag=a&tag=b` after
the `?`. The WSGI example used `urllib.parse.parse_qs` for this; here you
write it yourself, to see what percent-encoding is.
"""

from urllib.parse import unquote_plus  # noqa: F401  (allowed: it decodes one piece, %XX and +)


def parse_query(query: str) -> dict[str, list[str]]:
    """Decode `a=1&b=x+y&a=2` into {"a": ["1", "2"], "b": ["x y"]}.

    Every value is a list, because a name may repeat. A name with no `=`
    has the value "". Empty pieces (as in `a=1&&b=2`) are skipped.
    """
    result: dict[str, list[str]] = {}
    # TODO 1: split the string on "&" and skip the empty pieces.
    # TODO 2: split each piece on the first "=" only; no "=" means the value "".
    # TODO 3: decode the name and the value with unquote_plus, AFTER splitting.
    # TODO 4: append each value to the list for its name, keeping the order.
    return result
