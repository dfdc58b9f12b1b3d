"""``/``: the province's cockpit."""

import dash

from data.reference import PROVINCE
from pages.region import page as region

dash.register_page(__name__, path="/", title="浙江省 · 数字化改革驾驶舱", name="全省驾驶舱",
                   order=0)


def layout(indicator: str | None = None, period: str | None = None, **_: object):
    return region.layout(adcode=PROVINCE, indicator=indicator, period=period)
