-- The indexes the lab's experiment 2 adds to a stage-5 database, and nothing
-- else, so that the comparison measures the indexes alone. They are the ones
-- stage 6 creates (reference_app/caching.py, INDEXES).
-- `python -m loadtests lab 2` runs this on the seeded database before serving it.

-- Lists are newest first: walk this index backwards and stop after 20 rows,
-- instead of sorting every article for every page.
create index if not exists articles_newest on articles (created_at, id);
-- ?author=name
create index if not exists articles_by_author on articles (author_id, created_at, id);
-- ?tag=name: the primary key (article_id, tag_id) cannot find a tag's articles.
create index if not exists article_tags_by_tag on article_tags (tag_id, article_id);
-- An article's comments, and its favourites count.
create index if not exists comments_by_article on comments (article_id, created_at);
create index if not exists favorites_by_article on favorites (article_id);
