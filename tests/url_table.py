"""Every URL and method the site answers, with the status each kind of user gets.

One row per (method, URL): the statuses for each of ROLES, in that order: an
anonymous visitor, a logged-in reader (not staff), a staff member without any
permission, a member of the Editors group whose staff status was removed, an
editor (staff in the Editors group) and a superuser (users from
`tests.world.role_users`). URLs are filled from `tests.world.build_world`.
`content=True` marks pages that show stored text; the hostile-content tests
fetch those. test_permissions.py fails when a URL pattern of the URLconf has no
row here, so a new view needs a row (or several) before its tests pass.

Statuses: 302 for anonymous visitors of staff pages is the redirect to the admin
login; logged-in users who are not staff get the same from the admin and the
editor endpoints (which offer a staff login) and 403 from the wiki's own editor
views. Staff without permissions reach the admin's index, their password and
logout pages, and nothing else: the Editors' pages need the Editors' permission
as well as staff status, everywhere.
"""

from dataclasses import dataclass, field

ROLES = ("anonymous", "reader", "staff", "unstaffed", "editor", "superuser")


@dataclass(frozen=True)
class Row:
    method: str
    url: str
    expect: tuple[int, int, int, int, int, int]
    content: bool = False
    data: dict = field(default_factory=dict)


PUBLIC = (200, 200, 200, 200, 200, 200)
STAFF = (302, 302, 200, 302, 200, 200)  # admin pages every staff member may use
EDITORS = (302, 302, 403, 302, 200, 200)  # pages the Editors group may use
SUPERUSERS = (302, 302, 403, 302, 403, 200)  # admin pages only superusers may use
STAFF_REDIRECT = (302, 302, 302, 302, 302, 302)  # admin redirects (login, or on to the object)
WIKI_EDITORS = (403, 403, 403, 403, 200, 200)  # the wiki's own editor views

ROWS = [
    # Public pages: everyone reads them.
    Row("GET", "/", PUBLIC, content=True),
    Row("GET", "/wiki/{slug}/", PUBLIC, content=True),
    # Citation downloads are BibTeX, RIS and CSL JSON, never HTML (test_cite_downloads.py).
    Row("GET", "/wiki/{slug}/cite.bib", PUBLIC),
    Row("GET", "/wiki/{slug}/cite.ris", PUBLIC),
    Row("GET", "/wiki/{slug}/cite.json", PUBLIC),
    Row("GET", "/wiki/{slug}/cite.html", (404,) * 6),
    Row("GET", "/wiki/{slug}/history/", PUBLIC, content=True),
    Row("GET", "/wiki/{slug}/history/feed/", PUBLIC, content=True),
    Row("GET", "/wiki/{slug}/revision/{rev2}/", PUBLIC, content=True),
    Row("GET", "/wiki/{slug}/revision/{rev1}/", PUBLIC),
    Row("GET", "/wiki/{slug}/diff/?from={rev1}&to={rev2}", PUBLIC, content=True),
    Row("GET", "/wiki/{slug}/section/{anchor}/history/", PUBLIC, content=True),
    Row("GET", "/wiki/{slug}/debate/{debate}/", PUBLIC, content=True),
    Row("GET", "/recent/", PUBLIC, content=True),
    Row("GET", "/recent/feed/", PUBLIC, content=True),
    Row("GET", "/sources/", PUBLIC, content=True),
    Row("GET", "/sources/{key}/", PUBLIC, content=True),
    Row("GET", "/sources/{key}/cite.bib", PUBLIC),
    Row("GET", "/sources/{key}/cite.ris", PUBLIC),
    Row("GET", "/sources/{key}/cite.json", PUBLIC),
    Row("GET", "/sources/{key}/cite.txt", (404,) * 6),
    Row("GET", "/search/?q=alert", PUBLIC, content=True),
    Row("GET", "/search/?q=script+img+onerror+javascript", PUBLIC, content=True),
    Row("GET", "/healthz", PUBLIC),
    Row("GET", "/sitemap.xml", PUBLIC),
    Row("GET", "/robots.txt", PUBLIC),
    Row("GET", "/wiki/missing/", (404, 404, 404, 404, 404, 404)),
    # The interface language picker: a POST sets the cookie and returns to `next`.
    Row("POST", "/language/", (302,) * 6, data={"language": "zh-hans", "next": "/recent/"}),
    Row("GET", "/language/", (405,) * 6),
    # The read API: JSON for everyone (editors see drafts too; tests/api/).
    Row("GET", "/api/v1/articles/", PUBLIC),
    Row("GET", "/api/v1/articles/{slug}/", PUBLIC),
    Row("GET", "/api/v1/articles/{slug}/revisions/", PUBLIC),
    Row("GET", "/api/v1/articles/{slug}/revisions/{rev1}/", PUBLIC),
    Row("GET", "/api/v1/articles/{slug}/diff/?from={rev1}&to={rev2}", PUBLIC),
    Row("GET", "/api/v1/articles/{slug}/sections/{anchor}/history/", PUBLIC),
    Row("GET", "/api/v1/sources/", PUBLIC),
    Row("GET", "/api/v1/debates/", PUBLIC),
    Row("GET", "/api/v1/search/?q=plain", PUBLIC),
    Row("GET", "/api/v1/recent/", PUBLIC),
    Row("GET", "/api/schema/", PUBLIC),
    Row("GET", "/api/docs/", PUBLIC),
    Row("GET", "/api/v1/no-such-thing/", (404, 404, 404, 404, 404, 404)),
    Row("POST", "/api/v1/articles/", (405, 405, 405, 405, 405, 405)),
    # Staff pages of the wiki itself.
    Row("GET", "/maintenance/", (302, 403, 403, 403, 200, 200), content=True),
    Row("GET", "/wiki/{slug}/revision/{rev1}/revert/", WIKI_EDITORS),
    Row(
        "POST",
        "/wiki/{slug}/revision/{rev1}/revert/",
        (403, 403, 403, 403, 302, 302),
        data={"summary": "x"},
    ),
    Row("GET", "/editor/preview/", (302, 302, 403, 302, 405, 405)),
    Row("POST", "/editor/preview/", EDITORS, data={"content": "x"}),
    Row("GET", "/editor/upload/", (302, 302, 403, 302, 405, 405)),
    Row("POST", "/editor/upload/", (302, 302, 403, 302, 400, 400)),
    # The admin site.
    Row("GET", "/admin/", STAFF),
    Row("GET", "/admin/login/", (200, 200, 302, 200, 302, 302)),
    Row("POST", "/admin/login/", PUBLIC, data={"username": "x", "password": "y"}),
    Row("GET", "/admin/logout/", (302, 302, 405, 302, 405, 405)),
    Row("POST", "/admin/logout/", STAFF),
    Row("GET", "/admin/password_change/", STAFF),
    Row("GET", "/admin/password_change/done/", STAFF),
    Row("GET", "/admin/autocomplete/", (302, 302, 403, 302, 403, 403)),
    Row("GET", "/admin/jsi18n/", STAFF),
    Row("GET", "/admin/r/{article_type}/{article}/", STAFF_REDIRECT),
    Row("GET", "/admin/articles/", (302, 302, 404, 302, 200, 200)),
    Row("GET", "/admin/auth/", (302, 302, 404, 302, 404, 200)),
    Row("GET", "/admin/axes/", (302, 302, 404, 302, 404, 200)),
    Row("GET", "/admin/authtoken/", (302, 302, 404, 302, 404, 200)),
    Row("GET", "/admin/no-such-page/", (302, 302, 404, 302, 404, 404)),
    # Articles: editors change them, only superusers delete them.
    Row("GET", "/admin/articles/article/", EDITORS, content=True),
    Row("GET", "/admin/articles/article/add/", EDITORS),
    Row("POST", "/admin/articles/article/add/", EDITORS),
    # The import page previews on every post; only "confirm" writes (test_import_page.py).
    Row("GET", "/admin/articles/article/import/", EDITORS),
    Row(
        "POST", "/admin/articles/article/import/", EDITORS, data={"text": "Text.", "format": "auto"}
    ),
    Row("GET", "/admin/articles/article/{article}/", STAFF_REDIRECT),
    Row("GET", "/admin/articles/article/{article}/change/", EDITORS, content=True),
    Row("POST", "/admin/articles/article/{article}/change/", EDITORS),
    Row("GET", "/admin/articles/article/{article}/history/", EDITORS, content=True),
    Row("GET", "/admin/articles/article/{article}/delete/", SUPERUSERS),
    Row(
        "POST",
        "/admin/articles/article/{article}/delete/",
        (302, 302, 403, 302, 403, 302),
        data={"post": "yes"},
    ),
    Row("GET", "/admin/articles/article/{article}/section/{section}/", EDITORS, content=True),
    Row("POST", "/admin/articles/article/{article}/section/{section}/", EDITORS),
    Row("GET", "/admin/articles/article/recover/", EDITORS),
    Row("GET", "/admin/articles/article/recover/{article_version}/", EDITORS),
    Row("GET", "/admin/articles/article/{article}/history/{article_version}/", EDITORS),
    # Sources: the same.
    Row("GET", "/admin/articles/source/", EDITORS, content=True),
    Row("GET", "/admin/articles/source/add/", EDITORS),
    Row("POST", "/admin/articles/source/add/", EDITORS),
    Row("GET", "/admin/articles/source/{source}/", STAFF_REDIRECT),
    Row("GET", "/admin/articles/source/{source}/change/", EDITORS, content=True),
    Row("GET", "/admin/articles/source/{source}/history/", EDITORS),
    Row("GET", "/admin/articles/source/{source}/delete/", SUPERUSERS),
    Row("GET", "/admin/articles/source/recover/", EDITORS),
    Row("GET", "/admin/articles/source/recover/{source_version}/", EDITORS),
    Row("GET", "/admin/articles/source/{source}/history/{source_version}/", EDITORS),
    # The reliability register: editors keep it, deletions included.
    Row("GET", "/admin/articles/rating/", EDITORS, content=True),
    Row("GET", "/admin/articles/rating/add/", EDITORS),
    Row("POST", "/admin/articles/rating/add/", EDITORS),
    Row("GET", "/admin/articles/rating/{rating}/", STAFF_REDIRECT),
    Row("GET", "/admin/articles/rating/{rating}/change/", EDITORS, content=True),
    Row("GET", "/admin/articles/rating/{rating}/history/", EDITORS),
    Row("GET", "/admin/articles/rating/{rating}/delete/", EDITORS),
    Row("GET", "/admin/articles/rating/recover/", EDITORS),
    Row("GET", "/admin/articles/rating/recover/{rating_version}/", EDITORS),
    Row("GET", "/admin/articles/rating/{rating}/history/{rating_version}/", EDITORS),
    # Debates: editors may delete them too.
    Row("GET", "/admin/articles/debate/", EDITORS, content=True),
    Row("GET", "/admin/articles/debate/add/", EDITORS),
    Row("GET", "/admin/articles/debate/{debate_pk}/", STAFF_REDIRECT),
    Row("GET", "/admin/articles/debate/{debate_pk}/change/", EDITORS, content=True),
    Row("GET", "/admin/articles/debate/{debate_pk}/history/", EDITORS),
    Row("GET", "/admin/articles/debate/{debate_pk}/delete/", EDITORS),
    Row("GET", "/admin/articles/debate/recover/", EDITORS),
    Row("GET", "/admin/articles/debate/recover/{debate_version}/", EDITORS),
    Row("GET", "/admin/articles/debate/{debate_pk}/history/{debate_version}/", EDITORS),
    # Users, groups, API tokens and login records: superusers only.
    Row("GET", "/admin/auth/user/", SUPERUSERS, content=True),
    Row("GET", "/admin/auth/user/add/", SUPERUSERS),
    Row("GET", "/admin/auth/user/{user}/", STAFF_REDIRECT),
    Row("GET", "/admin/auth/user/{user}/change/", SUPERUSERS, content=True),
    Row("POST", "/admin/auth/user/{user}/change/", SUPERUSERS),
    Row("GET", "/admin/auth/user/{user}/history/", SUPERUSERS),
    Row("GET", "/admin/auth/user/{user}/delete/", SUPERUSERS),
    Row("GET", "/admin/auth/user/{user}/password/", SUPERUSERS),
    Row("GET", "/admin/auth/group/", SUPERUSERS),
    Row("GET", "/admin/auth/group/add/", SUPERUSERS),
    Row("GET", "/admin/auth/group/{group}/", STAFF_REDIRECT),
    Row("GET", "/admin/auth/group/{group}/change/", SUPERUSERS),
    Row("GET", "/admin/auth/group/{group}/history/", SUPERUSERS),
    Row("GET", "/admin/auth/group/{group}/delete/", SUPERUSERS),
    Row("GET", "/admin/authtoken/tokenproxy/", SUPERUSERS),
    Row("GET", "/admin/authtoken/tokenproxy/add/", SUPERUSERS),
    Row("GET", "/admin/authtoken/tokenproxy/{user}/", STAFF_REDIRECT),
    Row("GET", "/admin/authtoken/tokenproxy/{user}/change/", SUPERUSERS),
    Row("GET", "/admin/authtoken/tokenproxy/{user}/history/", SUPERUSERS),
    Row("GET", "/admin/authtoken/tokenproxy/{user}/delete/", SUPERUSERS),
    Row("GET", "/admin/axes/accessattempt/", SUPERUSERS, content=True),
    Row("GET", "/admin/axes/accessattempt/add/", (302, 302, 403, 302, 403, 403)),
    Row("GET", "/admin/axes/accessattempt/{attempt}/", STAFF_REDIRECT),
    Row("GET", "/admin/axes/accessattempt/{attempt}/change/", SUPERUSERS, content=True),
    Row("GET", "/admin/axes/accessattempt/{attempt}/history/", SUPERUSERS),
    Row("GET", "/admin/axes/accessattempt/{attempt}/delete/", SUPERUSERS),
    Row("GET", "/admin/axes/accesslog/", SUPERUSERS, content=True),
    Row("GET", "/admin/axes/accesslog/add/", (302, 302, 403, 302, 403, 403)),
    Row("GET", "/admin/axes/accesslog/{access_log}/", STAFF_REDIRECT),
    Row("GET", "/admin/axes/accesslog/{access_log}/change/", SUPERUSERS, content=True),
    Row("GET", "/admin/axes/accesslog/{access_log}/history/", SUPERUSERS),
    Row("GET", "/admin/axes/accesslog/{access_log}/delete/", SUPERUSERS),
    Row("GET", "/admin/axes/accessfailurelog/", SUPERUSERS, content=True),
    Row("GET", "/admin/axes/accessfailurelog/add/", (302, 302, 403, 302, 403, 403)),
    Row("GET", "/admin/axes/accessfailurelog/{failure_log}/", STAFF_REDIRECT),
    Row("GET", "/admin/axes/accessfailurelog/{failure_log}/change/", SUPERUSERS, content=True),
    Row("GET", "/admin/axes/accessfailurelog/{failure_log}/history/", SUPERUSERS),
    Row("GET", "/admin/axes/accessfailurelog/{failure_log}/delete/", SUPERUSERS),
]
