"""Any address that is not a page."""

import dash

from components.frame import message_page
from config.labels import ERRORS

dash.register_page(__name__, path="/404", title="页面不存在 · 数字化改革驾驶舱", nav=False)


def layout(**_: object):
    return message_page(ERRORS["not_found"], title="页面不存在")
