"""Project commands (COMMANDS_MODULE): ``scrapy crawl`` with argument checks and per-spider help."""
