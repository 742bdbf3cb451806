"""Call recordings (MixMonitor files): an audited read and a retention period."""
