"""Lesson 4's part of the OpenAPI document: accounts, follows, favourites, the
feed. The limits are quoted from validation.py, which enforces them."""

from __future__ import annotations

from ..core.openapi import NULLABLE, STRING, obj, operation, ref, sent, text, wrapped
from ..routing.openapi import ARTICLE, ARTICLE_LIST, PAGING, PROFILE, SLUG, USERNAME, read_paths
from .validation import BIO_MAX, COMMON_PASSWORDS, EMAIL, IMAGE_MAX, PASSWORD_MAX, PASSWORD_MIN
from .validation import IMAGE as IMAGE_PATTERN
from .validation import USERNAME as USERNAME_PATTERN

NAME = text(40, pattern=f"^{USERNAME_PATTERN.pattern}$")
EMAIL_ADDRESS = text(320, pattern=f"^{EMAIL.pattern}$")
# The common passwords are refused, so the document says so; a password equal to
# the account's own username or email is refused too, which a schema cannot say.
PASSWORD = {"type": "string", "minLength": PASSWORD_MIN, "maxLength": PASSWORD_MAX,
            "not": {"enum": sorted(COMMON_PASSWORDS)}}
BIO = {"type": ["string", "null"], "maxLength": BIO_MAX}
IMAGE = {"type": ["string", "null"], "maxLength": IMAGE_MAX,
         "pattern": f"^({IMAGE_PATTERN.pattern})?$"}
USER = wrapped("user", ref("User"))

ACCOUNT_SCHEMAS = {
    "User": obj(("email", "token", "username", "bio", "image"), email=STRING, token=STRING,
                username=STRING, bio=NULLABLE, image=NULLABLE),
    "NewUser": sent(("user",), user=sent(("username", "email", "password"), username=NAME,
                                       email=EMAIL_ADDRESS, password=PASSWORD)),
    "LoginUser": sent(("user",), user=sent(("email", "password"), email=text(320),
                                         password={"type": "string", "minLength": 1})),
    "UpdateUser": sent(("user",), user=sent((), username=NAME, email=EMAIL_ADDRESS,
                                          password=PASSWORD, bio=BIO, image=IMAGE)),
}


def account_paths() -> dict:
    """Lesson 4's routes, and lesson 1's reads again: they now know the reader."""
    return {
        **read_paths(auth="optional"),
        "/api/users": {"post": operation("register", ("201", USER), body="NewUser",
                                         errors=("409",))},
        "/api/users/login": {"post": operation("log in", ("200", USER), body="LoginUser",
                                               errors=("401",))},
        "/api/user": {
            "get": operation("get current user", ("200", USER), auth="required"),
            "put": operation("update current user", ("200", USER), auth="required",
                             body="UpdateUser", errors=("409",)),
        },
        "/api/profiles/{username}/follow": {
            method: operation(f"{verb} user", ("200", PROFILE), auth="required",
                              params=[USERNAME], errors=("403", "404"))
            for method, verb in (("post", "follow"), ("delete", "unfollow"))
        },
        "/api/articles/feed": {"get": operation("feed articles", ("200", ARTICLE_LIST),
                                                auth="required", params=PAGING,
                                                errors=("422",))},
        "/api/articles/{slug}/favorite": {
            method: operation(f"{verb} article", ("200", ARTICLE), auth="required",
                              params=[SLUG], errors=("404",))
            for method, verb in (("post", "favorite"), ("delete", "unfavorite"))
        },
    }
