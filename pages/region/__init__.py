"""The region cockpit (``page.py`` registers it; ``panels.py`` holds its topic panels)."""
