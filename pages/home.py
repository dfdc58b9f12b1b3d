"""``/``: the cockpit of the user's own level — the province's, or, for a user limited to
one region, that region's (a county user opening ``/`` arrives at the county)."""

import dash

from data.reference import PROVINCE
from data.scope import home_region, viewer_scope
from pages.region import page as region

dash.register_page(__name__, path="/", title="浙江省 · 数字化改革驾驶舱", name="全省驾驶舱",
                   order=0)


def layout(indicator: str | None = None, period: str | None = None, **_: object):
    adcode = home_region(viewer_scope()) or PROVINCE
    return region.layout(adcode=adcode, indicator=indicator, period=period)
