-- Lesson 4: every user has a random session key, which each of their tokens
-- carries. A new key ends all their sessions (logout, a password change), and a
-- token from an earlier database names a key that no user has. store.py adds
-- the column itself (SQLite has no "add column if not exists"); this file is
-- safe to run again and again.

-- Users written before the column existed get a key now...
update users set session_key = lower(hex(randomblob(16))) where session_key is null;

-- ...and so does every user written later, by lesson 4 or by code that knows
-- nothing of keys (lesson 3's demo author, the seed command).
create trigger if not exists users_get_a_session_key
after insert on users when new.session_key is null
begin
    update users set session_key = lower(hex(randomblob(16))) where id = new.id;
end;
