"""The platform's benchmarks: ``python -m boyin_platform.bench latency|load``."""
