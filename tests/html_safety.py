"""An HTML parser that lists everything script-capable left in a piece of HTML."""

from html.parser import HTMLParser

SCRIPT_CAPABLE = {
    "script", "style", "iframe", "frame", "object", "embed", "svg", "math", "form",
    "input", "button", "textarea", "link", "meta", "base", "applet", "template",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster"}
SAFE_SCHEMES = ("http:", "https:", "mailto:")


class UnsafeFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in SCRIPT_CAPABLE:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if name == "style" and value and "text-align" not in value:
                self.found.append(f"{tag}[style={value}]")
            if name in URL_ATTRIBUTES and value:
                url = "".join(value.split()).lower()
                if ":" in url.split("/")[0] and not url.startswith(SAFE_SCHEMES):
                    self.found.append(f"{tag}[{name}={value}]")


def unsafe_parts(html: str) -> list[str]:
    finder = UnsafeFinder()
    finder.feed(html)
    finder.close()
    return finder.found
