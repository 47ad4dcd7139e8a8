-- H2 flushes commits to its file up to 500 ms late by default: a process killed in that window
-- loses writes roomgate already acknowledged. Flush on every commit (the setting is persistent).
SET WRITE_DELAY 0;
