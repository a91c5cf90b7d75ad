"""Who may edit outside the admin: the admin's own rule, staff status and the
Editors' permission (membership of the group alone is not enough)."""


def is_editor(user) -> bool:
    return user.is_staff and user.has_perm("articles.change_article")
