-- Lesson 6: tables derived from the others and kept current by triggers, so
-- that a count, or a tag's or a reader's newest articles, costs the same at
-- 100,000 articles as at 1,000. Real systems do the same under other names:
-- a counter cache (Rails' counter_cache), a summary table, a materialised view.
-- The triggers run inside the writer's own transaction, so they are never
-- out of date; the price is a little more work on every write.
begin immediate;  -- one process builds them; another waits here, then finds them built

-- How many articles there are: in all ('all', 0), by each author ('author',
-- user id), with each tag ('tag', tag id) and favourited by each reader
-- ('favorited', user id). count(*) walks every matching row, tens of
-- thousands for a popular tag; this is one row to read.
create table if not exists article_counts (
    kind text not null,
    key integer not null,
    articles integer not null,
    primary key (kind, key)
) without rowid;
-- The tag list: the most used tags, without counting article_tags.
create index if not exists article_counts_most_used on article_counts (kind, articles);

-- Each tag's articles with their dates: the "tag, newest first" index that
-- article_tags cannot have, because the date is in another table. A tag's
-- page reads its 20 newest entries here instead of sorting all of its articles.
create table if not exists tagged_articles (
    tag_id integer not null,
    article_id integer not null,
    created_at text not null,  -- a copy of the article's (see copy_changed_date)
    primary key (tag_id, article_id)
) without rowid;
create index if not exists tagged_articles_newest
    on tagged_articles (tag_id, created_at, article_id);
-- The same for each reader's favourites (?favorited=name): the busiest
-- readers favourite thousands of articles, too many to sort for each page.
create table if not exists favorited_articles (
    user_id integer not null,
    article_id integer not null,
    created_at text not null,  -- the article's, not the favourite's
    primary key (user_id, article_id)
) without rowid;
create index if not exists favorited_articles_newest
    on favorited_articles (user_id, created_at, article_id);

create trigger if not exists count_new_article after insert on articles begin
    insert into article_counts values ('all', 0, 1), ('author', new.author_id, 1)
        on conflict do update set articles = articles + 1;
end;
create trigger if not exists count_deleted_article after delete on articles begin
    update article_counts set articles = articles - 1
    where (kind = 'all' and key = 0) or (kind = 'author' and key = old.author_id);
end;
create trigger if not exists count_new_tagging after insert on article_tags begin
    insert into article_counts values ('tag', new.tag_id, 1)
        on conflict do update set articles = articles + 1;
    insert into tagged_articles
        select new.tag_id, new.article_id, created_at from articles where id = new.article_id;
end;
create trigger if not exists count_deleted_tagging after delete on article_tags begin
    update article_counts set articles = articles - 1 where kind = 'tag' and key = old.tag_id;
    delete from tagged_articles where tag_id = old.tag_id and article_id = old.article_id;
end;
create trigger if not exists count_new_favorite after insert on favorites begin
    insert into article_counts values ('favorited', new.user_id, 1)
        on conflict do update set articles = articles + 1;
    insert into favorited_articles
        select new.user_id, new.article_id, created_at from articles where id = new.article_id;
end;
create trigger if not exists count_deleted_favorite after delete on favorites begin
    update article_counts set articles = articles - 1
    where kind = 'favorited' and key = old.user_id;
    delete from favorited_articles where user_id = old.user_id and article_id = old.article_id;
end;
-- The app never changes an article's date or author, but a fix made in SQL
-- must not leave the copies and the counts wrong.
create trigger if not exists copy_changed_date after update of created_at on articles begin
    update tagged_articles set created_at = new.created_at where article_id = new.id
        and tag_id in (select tag_id from article_tags where article_id = new.id);
    update favorited_articles set created_at = new.created_at where article_id = new.id
        and user_id in (select user_id from favorites where article_id = new.id);
end;
create trigger if not exists count_changed_author after update of author_id on articles begin
    update article_counts set articles = articles - 1
    where kind = 'author' and key = old.author_id;
    insert into article_counts values ('author', new.author_id, 1)
        on conflict do update set articles = articles + 1;
end;

-- Fill them once from the rows already there: a kind with no row yet was
-- never counted, because its triggers did not exist. (Running this file
-- again finds them filled and changes nothing.)
insert into article_counts select 'all', 0, count(*) from articles
    where not exists (select 1 from article_counts where kind = 'all') having count(*) > 0;
insert into article_counts select 'author', author_id, count(*) from articles
    where not exists (select 1 from article_counts where kind = 'author') group by author_id;
insert into article_counts select 'tag', tag_id, count(*) from article_tags
    where not exists (select 1 from article_counts where kind = 'tag') group by tag_id;
insert into article_counts select 'favorited', user_id, count(*) from favorites
    where not exists (select 1 from article_counts where kind = 'favorited') group by user_id;
insert into tagged_articles
    select at.tag_id, at.article_id, a.created_at from article_tags at
    join articles a on a.id = at.article_id
    where not exists (select 1 from tagged_articles);
insert into favorited_articles
    select f.user_id, f.article_id, a.created_at from favorites f
    join articles a on a.id = f.article_id
    where not exists (select 1 from favorited_articles);
commit;
