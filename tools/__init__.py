"""Development tools that are not part of the installed package (pyproject installs only
``newsspider*``): ``python -m tools.demo.build`` regenerates the bundled demo site."""
