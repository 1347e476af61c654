"""Photo and signature bytes: where they are kept (store), what is accepted (validate), who may read them (catalog)."""
