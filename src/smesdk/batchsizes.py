"""Batch sizes that the CLI and the server show without importing pyarrow."""

#: Rows a batch run reads, scores and records at a time (the memory bound and the resume
#: granularity). One output row group (``smesdk.batch.writers.ROW_GROUP``), so that a chunk's
#: results pass to the writer uncut; half of that cost 10-15 % more time (benchmarks/).
DEFAULT_CHUNK_SIZE = 65_536
