"""Photos on the device: the re-encoding pipeline, the content-addressed store, and the upload queue."""
