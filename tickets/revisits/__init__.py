"""Automated revisits (回访, tonghua 第二十条, wuhai 6.8): scheduling, attempts, the survey side."""
