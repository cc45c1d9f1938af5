"""Configuration for Tortoise's command line (`tortoise -c backend.db_config.TORTOISE_ORM makemigrations`)."""
from backend.db import tortoise_config
from backend.settings import Settings

TORTOISE_ORM = tortoise_config(Settings.from_env().db_url)
