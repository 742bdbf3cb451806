"""Statistics: period figures and the monthly bulletin (tonghua 第三十二至三十四条)."""
