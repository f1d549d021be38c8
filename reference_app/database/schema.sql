-- Lesson 2: the tables. Safe to run again and again (if not exists).
create table if not exists users (
    id integer primary key,
    username text not null unique,
    email text not null unique collate nocase,
    password_hash text,            -- null: this user cannot log in (lesson 4)
    bio text,
    image text,
    created_at text not null
);
create table if not exists articles (
    id integer primary key,
    slug text not null unique,
    title text not null,
    description text not null,
    body text not null,
    author_id integer not null references users(id) on delete cascade,
    created_at text not null,
    updated_at text not null
);
create table if not exists tags (
    id integer primary key,
    name text not null unique
);
create table if not exists article_tags (
    article_id integer not null references articles(id) on delete cascade,
    tag_id integer not null references tags(id) on delete cascade,
    position integer not null,     -- tagList keeps the order it was sent in
    primary key (article_id, tag_id)
);
create table if not exists comments (
    -- autoincrement: a deleted comment's id is never handed out again, since
    -- clients keep ids (a live page remembers the newest one it has seen).
    id integer primary key autoincrement,
    article_id integer not null references articles(id) on delete cascade,
    author_id integer not null references users(id) on delete cascade,
    body text not null,
    created_at text not null,
    updated_at text not null
);
create table if not exists follows (
    follower_id integer not null references users(id) on delete cascade,
    followed_id integer not null references users(id) on delete cascade,
    primary key (follower_id, followed_id)
);
create table if not exists favorites (
    user_id integer not null references users(id) on delete cascade,
    article_id integer not null references articles(id) on delete cascade,
    primary key (user_id, article_id)
);
