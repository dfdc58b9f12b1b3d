"""What the cockpit shows, apart from how it is drawn.

A :class:`~panels.context.PanelContext` (the viewer's scope, the region, the period, today
and now) goes in; plain :class:`~panels.model.PanelModel` objects come out, one per panel of
the :mod:`~panels.registry`. The desk page, the large screen, the meeting slides and the PDF
briefing render the same models (renderers live in ``components/surfaces``).
"""
