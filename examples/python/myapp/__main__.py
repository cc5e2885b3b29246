"""Prints one line showing the interpreter, the virtual environment and the user it runs as."""
import os
import platform
import sys

from myapp import __version__


def main() -> None:
    venv = sys.prefix if sys.prefix != sys.base_prefix else "no venv"
    print(f"hello-python {__version__} on Python {platform.python_version()}, "
          f"venv {venv}, uid {os.getuid()}")


if __name__ == "__main__":
    main()
