"""Look inside: where a prompt acts (attention on its prefix) and a widget to compare retrievers on one query."""
