"""bertdesk: fine-tune BERT on your own text, on the desktop or the command line."""

__version__ = "0.1.0"
APP_NAME = "bertdesk"
