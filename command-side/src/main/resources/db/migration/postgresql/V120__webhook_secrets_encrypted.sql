-- Issue 16: webhook secrets are stored encrypted (enc1:<key id>:<base64url>), longer than before.
alter table webhook alter column secret type varchar(512);
