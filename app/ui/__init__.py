"""The Flet UI: observable state with intent methods, and views that only read state and call those intents."""
