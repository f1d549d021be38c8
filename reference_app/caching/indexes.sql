-- Lesson 6: each index serves a query the app runs on every list, filter or feed.
create index if not exists articles_newest on articles (created_at, id);
create index if not exists articles_by_author on articles (author_id, created_at, id);
create index if not exists article_tags_by_tag on article_tags (tag_id, article_id);
create index if not exists favorites_by_article on favorites (article_id);
create index if not exists comments_by_article on comments (article_id, created_at);
