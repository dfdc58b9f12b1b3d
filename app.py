"""The shell of the cockpit: builds the Dash app, its store, cache and frame.

Run with ``make run`` (see the README); ``server`` is the WSGI app for gunicorn.
"""

from __future__ import annotations

import logging
from pathlib import Path

import click
import dash

# plotly's JSON encoder uses PIL.Image whenever something has imported it; imported whole here,
# before the workers' threads start, no request finds it half-imported (a 500 under load when
# one thread imported it lazily while another encoded a figure: "partially initialized module").
import PIL.Image  # noqa: F401
from dash import Dash, dcc, html
from dash._pages import _parse_query_string, _path_to_page
from flask import Flask, jsonify, request
from flask_wtf.csrf import generate_csrf

from api import register as register_api
from auth import current_account, init_auth
from auth.callback_requests import init_callback_check
from auth.headers import init_headers, set_script_hashes
from briefing.background import make_manager
from components import answer_cache
from components.boundaries import register as register_boundaries
from components.frame import (
    NOTICE_ID,
    callback_notice,
    footer,
    header,
    message_page,
    notice_bar,
    user_menu,
    watermark,
)
from components.lazy_scripts import (
    ASSETS_IGNORE,
    GRID_META,
    PLOTLY_META,
    component_warmers,
    defer_grid_bundle,
    drop_core_js_polyfill,
    grid_bundle_url,
    load_chunks_with_page,
    plotly_bundle_url,
)
from components.serving import enable_compression
from config.labels import LOADING, PRODUCT_NAME
from config.settings import Settings, get_settings
from data import queries
from data.accounts import Account, now
from data.geo import ATTRIBUTION, boundaries
from data.queries import ScopeRefused
from data.scope import home_region, viewer_scope
from data.store import StoreUnavailable, init_store
from panels.addresses import BadAddress, address_params, region_href

log = logging.getLogger(__name__)

INDEX = """<!DOCTYPE html>
<html lang="zh-CN">
  <head>
    {%metas%}
    <title>{%title%}</title>
    {%favicon%}
    {%css%}
  </head>
  <body>
    {%app_entry%}
    <footer>
      {%config%}
      {%scripts%}
      {%renderer%}
    </footer>
  </body>
</html>"""

class CockpitDash(Dash):
    """Dash, with its first words (the "Loading..." shown before the app has started) in
    Chinese like every other word of the app."""

    def interpolate_index(self, **kwargs) -> str:
        kwargs["app_entry"] = kwargs["app_entry"].replace("Loading...", LOADING)
        return super().interpolate_index(**kwargs)


def nav_items(account: Account | None) -> list[tuple[str, str]]:
    """The navigation from the registered pages: a page registered with ``roles=(…)`` is
    listed only for those roles; the home link names the user's own region."""
    role = account.role if account is not None else None
    items = []
    for page in dash.page_registry.values():
        if not page.get("nav", True) or page["path"] == "/404":
            continue
        if page.get("roles") and role not in page["roles"]:
            continue
        name, href = page["name"], page["relative_path"]
        if page["path"] == "/" and account is not None:
            name, href = home_link(account) or (name, href)
        items.append((name, href))
    return items


def home_link(account: Account) -> tuple[str, str] | None:
    """(name, address) of the user's own cockpit where it is not the province's."""
    adcode = home_region(account.scope)
    if adcode is None:
        return None
    tree = queries.regions(scope=account.scope)
    names = tree.loc[tree["adcode"] == adcode, "name"]
    return (f"{names.iloc[0]}驾驶舱", region_href(adcode)) if len(names) else None


def shell_layout() -> html.Div:
    """The frame around every page; rebuilt on each page load so the header is current."""
    account = current_account()
    menu = None if account is None else user_menu(
        name=account.display_name, unit=account.unit, role=account.role_name,
        csrf_token=generate_csrf())
    try:
        status = queries.dataset_status(scope=viewer_scope())
        top = header(nav_items=nav_items(account), demo=status["demo"],
                     updated_at=status["updated_at"], user_menu=menu,
                     demo_topics=status["demo_topics"])
    except StoreUnavailable:
        top = header(nav_items=[], demo=False, updated_at=None, store_down=True,
                     user_menu=menu)
    return html.Div(
        [
            dcc.Location(id="app-url", refresh="callback-nav"),
            top,
            notice_bar(),
            html.Main(dash.page_container, className="app-main"),
            footer(ATTRIBUTION),
            watermark(who=f"{account.display_name} · {account.unit}", when=now())
            if account is not None else None,
            component_warmers(),
        ],
        className="app-shell",
    )


def callback_error(error: Exception) -> None:
    """Every callback's error handler: an expected failure (the store is down, a value that
    names nothing, a viewer who may not) leaves the page as it is and says why in the notice
    bar; anything else is a bug and fails as before (logged, HTTP 500)."""
    message = callback_notice(error)
    if message is None:
        raise error
    log.warning("callback refused: %s", error)
    dash.set_props(f"{NOTICE_ID}-text", {"children": message})
    dash.set_props(NOTICE_ID, {"hidden": False})
    return None  # no output changes


#: The notice bar closes with its button, and when the user goes to another address.
dash.clientside_callback(
    "(clicks, href) => true",
    dash.Output(NOTICE_ID, "hidden", allow_duplicate=True),
    dash.Input(f"{NOTICE_ID}-close", "n_clicks"),
    dash.Input("app-url", "href"),
    prevent_initial_call=True,
)


def register_cli(server: Flask) -> None:
    from data.demo import ImportedDataPresent
    from data.migrate import upgrade_to_head
    from data.reference import load_reference
    from data.seeding import seed_all
    from data.store import engine, write_transaction

    @server.cli.command("init-db")
    def init_db() -> None:
        """Migrate the store to the newest schema and load the reference data."""
        upgrade_to_head(engine())
        with write_transaction() as conn:
            load_reference(conn)
        click.echo(f"数据库已就绪：{engine().url.render_as_string(hide_password=True)}")

    @server.cli.command("seed-demo")
    @click.option("--force", is_flag=True, help="Regenerate even if the demo data is current.")
    def seed_demo_command(force: bool) -> None:
        """Write the deterministic demo data (idempotent)."""
        try:
            with write_transaction() as conn:
                for sentence in seed_all(conn, force=force):
                    click.echo(sentence)
        except ImportedDataPresent as refused:
            raise click.ClickException(str(refused)) from refused


    @server.cli.command("backup")
    @click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
    def backup_command(target: Path) -> None:
        """Write a backup of the store to TARGET (SQLite: a copy made while the app runs;
        PostgreSQL: a pg_dump archive)."""
        from data.backup import BackupFailed, backup_store

        try:
            path = backup_store(engine(), target)
        except BackupFailed as failed:
            raise click.ClickException(str(failed)) from failed
        click.echo(f"已备份到 {path}（{path.stat().st_size / 1048576:.1f} MB）。")

    @server.cli.command("restore")
    @click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def restore_command(source: Path, yes: bool) -> None:
        """Replace everything in the store with the backup SOURCE (made by `backup`)."""
        from data.backup import BackupFailed, restore_store

        if not yes:
            click.confirm("将用备份替换当前数据库中的全部数据，继续吗？", abort=True)
        try:
            version = restore_store(engine(), source)
        except BackupFailed as failed:
            raise click.ClickException(str(failed)) from failed
        click.echo(f"已从 {source} 恢复（数据版本 {version}）。运行中的服务无需重启。")

    from data.imports import cli as import_cli  # import, templates, batches, tokens

    import_cli.register(server)


def register_health(server: Flask) -> None:
    @server.get("/healthz")
    def healthz():
        from data.health import health

        answer, status = health(server)
        return jsonify(answer), status

    @server.get("/data-version")
    def data_version_now():
        """The store's data version, for a signed-in page that refreshes itself (the large
        screen asks every ``refresh`` seconds): a few bytes, never cached."""
        from data.store import data_version

        try:
            response = jsonify(version=data_version())
        except StoreUnavailable:
            response = jsonify(error="store unreachable")
            response.status_code = 503
        response.headers["Cache-Control"] = "no-store"
        return response


#: The endpoints under which Dash serves its HTML shell (``/`` and every other path).
SHELL_ENDPOINTS = frozenset({"/", "/<path:path>"})


def address_status(path: str, query_string: str) -> int:
    """The HTTP status of a page's address (``path`` and ``query_string`` as requested).

    Dash answers every path with the same shell and builds the page afterwards in a callback.
    No page at ``path``: 404. A page registered with ``check_address=`` (a function of the
    path variables and query parameters, as its ``layout`` takes them): 404 when the check
    raises :class:`BadAddress` or ``ScopeRefused`` (an address outside the viewer's scope is
    not told apart from one that names nothing), 403 on ``PermissionError`` (a page not for
    the viewer's role), 503 when the store is down. The body stays the page with its message.
    """
    page, variables = _path_to_page(path.strip("/"))
    if not page or page.get("path") == "/404":
        return 404
    params = _parse_query_string(f"?{query_string}" if query_string else "")
    check = page.get("check_address") or (lambda **_: None)
    try:
        check(**address_params({**params, **(variables or {})},
                               path_template=page.get("path_template"),
                               path_variables=variables or {}))
    except (BadAddress, ScopeRefused):
        return 404
    except PermissionError:
        return 403
    except StoreUnavailable:
        return 503
    return 200


def checked_layout(page: dict):
    """``page``'s layout, given its address's parameters checked by
    :func:`panels.addresses.address_params` (a repeated parameter gets the page's message,
    never a list; a query parameter never replaces a variable of the path)."""
    layout = page["layout"]

    def layout_of_address(**params: object):
        try:
            pathname = dash.ctx.inputs.get("_pages_location.pathname")
        except Exception:  # noqa: BLE001 - called outside the pages' router (a test)
            pathname = None
        variables = _path_to_page(pathname.strip("/"))[1] if isinstance(pathname, str) else None
        try:
            checked = address_params(params, path_template=page.get("path_template"),
                                     path_variables=variables)
        except BadAddress as bad:
            return message_page(str(bad))
        return layout(**checked)

    layout_of_address.__doc__ = layout.__doc__
    return layout_of_address


def check_page_addresses() -> None:
    """Every registered page reads its address through one check (:func:`checked_layout`)."""
    for page in dash.page_registry.values():
        if callable(page.get("layout")) and not getattr(page["layout"], "checked", False):
            page["layout"] = checked_layout(page)
            page["layout"].checked = True


def register_address_status(server: Flask) -> None:
    """A page whose address names nothing answers 404 (with its Chinese message), not 200."""

    @server.after_request
    def status_of_address(response):
        if (request.method == "GET" and response.status_code == 200
                and request.endpoint in SHELL_ENDPOINTS):
            response.status_code = address_status(
                request.path, request.query_string.decode("utf-8", "replace"))
        return response


def create_app(settings: Settings | None = None) -> Dash:
    settings = settings or get_settings()
    server = Flask(__name__, instance_path=str(settings.instance_dir))
    server.config["COCKPIT_SETTINGS"] = settings
    init_store(server, settings)
    init_auth(server, settings)
    init_headers(server, settings)
    enable_compression(server)
    register_cli(server)
    register_health(server)
    register_api(server)
    register_boundaries(server)
    from briefing.cli import register_cli as register_briefing_cli
    from briefing.views import blueprint as briefing_files

    register_briefing_cli(server)
    server.register_blueprint(briefing_files)
    manager, celery = make_manager(settings)
    server.extensions["cockpit_celery"] = celery
    boundaries()  # read and simplify the boundaries once, at start-up

    app = CockpitDash(
        __name__,
        server=server,
        use_pages=True,
        on_error=callback_error,
        title=PRODUCT_NAME,
        update_title=None,
        suppress_callback_exceptions=True,
        serve_locally=True,
        assets_ignore=ASSETS_IGNORE,
        index_string=INDEX,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
        background_callback_manager=manager,
    )
    app.layout = shell_layout
    init_callback_check(server, app.callback_map)
    answer_cache.install(server)  # after every check of a request, before compression
    check_page_addresses()
    defer_grid_bundle()
    drop_core_js_polyfill()
    load_chunks_with_page()
    app.config.meta_tags.append(
        {"name": GRID_META, "content": grid_bundle_url(app.config.requests_pathname_prefix)})
    app.config.meta_tags.append({"name": PLOTLY_META, "content": plotly_bundle_url(app)})
    register_address_status(server)
    if settings.debug:
        app.enable_dev_tools(debug=True, dev_tools_disable_version_check=True)
    set_script_hashes(server, app.csp_hashes)  # Dash's inline scripts, for the CSP
    return app


app = create_app()
server = app.server
#: The Celery app of the background jobs when ``COCKPIT_JOBS=celery`` (``celery -A
#: app:celery_app worker``), else ``None``.
celery_app = server.extensions["cockpit_celery"]

if __name__ == "__main__":
    s = get_settings()
    app.run(host=s.host, port=s.port, debug=s.debug, dev_tools_disable_version_check=True)
