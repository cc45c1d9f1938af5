"""python -m backend.admin ...: the same operator commands as `python -m backend admin ...`."""
import sys

from backend.admin import main
from backend.settings import Settings

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], settings=Settings.from_env()))
