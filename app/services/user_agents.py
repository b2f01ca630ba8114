"""A browser's User-Agent header as a person recognises it: "Firefox" on "Windows"."""

# First match wins: Edge and Opera also call themselves Chrome, Chrome calls itself Safari.
_BROWSERS = (("Edg/", "Edge"), ("EdgA/", "Edge"), ("EdgiOS/", "Edge"), ("OPR/", "Opera"),
             ("Firefox/", "Firefox"), ("FxiOS/", "Firefox"),
             ("SamsungBrowser/", "Samsung Internet"),
             ("CriOS/", "Chrome"), ("Chromium/", "Chromium"), ("Chrome/", "Chrome"),
             ("Safari/", "Safari"))
# iPhones and iPads say "like Mac OS X", Android says "Linux": the specific ones first.
_SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
            ("Windows", "Windows"), ("CrOS", "ChromeOS"), ("Macintosh", "macOS"),
            ("Mac OS X", "macOS"), ("Linux", "Linux"))


def describe_user_agent(user_agent: str) -> tuple[str, str]:
    """(browser, system), each "" when the header does not say."""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), "")
    return browser, system
