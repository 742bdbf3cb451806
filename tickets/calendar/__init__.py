"""Working days: the State Council calendar plus an administrator's overrides."""
