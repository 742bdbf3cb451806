"""The revisits bound to telephony and the IVR: their outbound campaign and the survey port."""
