"""Generator of the bundled demo site (newsspider/demo_site): data (content.py), templates
(templates.py), generator (build.py). A development tool: not installed with the package."""
