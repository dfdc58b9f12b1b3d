"""Looking into Dash layout trees in tests."""


def find(component, predicate):
    """Every component in a layout tree for which ``predicate`` holds."""
    found = [component] if predicate(component) else []
    children = getattr(component, "children", None)
    if children is None:
        return found
    for child in children if isinstance(children, list | tuple) else [children]:
        if hasattr(child, "to_plotly_json"):
            found += find(child, predicate)
    return found


def text_of(component) -> str:
    children = getattr(component, "children", None)
    if isinstance(children, str):
        return children
    if isinstance(children, list | tuple):
        return "".join(c if isinstance(c, str) else text_of(c) for c in children)
    return text_of(children) if children is not None else ""


def classes(component) -> str:
    return getattr(component, "className", "") or ""
