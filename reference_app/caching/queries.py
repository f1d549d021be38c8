"""Lesson 6: the SQL of the tuned store (store.py), in constants.

Each list costs the same at 100,000 articles as at 1,000: a query per filter,
each read in order from an index that serves both the filter and the order,
with counts kept by derived.sql's triggers instead of counted.

Every statement is a constant with ``:name`` placeholders, assembled from
other constants of this module and lesson 2's: no value is ever pasted in.
"""

from __future__ import annotations

from ..database.store import ARTICLE_FILTER, NEWEST_FIRST

# --8<-- [start:tuned_sql]
# Everything an article needs, in one row: its author, its favourite count,
# and whether this viewer favourited it or follows its author.
ARTICLE_COLUMNS = """
select a.*, u.username, u.bio, u.image,
       (select count(*) from favorites f where f.article_id = a.id) as favorites_count,
       exists (select 1 from favorites f
               where f.article_id = a.id and f.user_id = :viewer) as favorited,
       exists (select 1 from follows w
               where w.follower_id = :viewer and w.followed_id = a.author_id) as following
"""
ARTICLE_ROWS = ARTICLE_COLUMNS + "from articles a join users u on u.id = a.author_id\n"
LIST_TUNED = ARTICLE_ROWS + ARTICLE_FILTER + NEWEST_FIRST
ARTICLE_BY_SLUG = ARTICLE_ROWS + "where a.slug = :slug"
# All the tags of all the articles on a page, in one query: the ids travel as
# one JSON array parameter, so the SQL text stays constant.
TAGS_OF_ARTICLES = """
select at.article_id, t.name from article_tags at join tags t on t.id = at.tag_id
where at.article_id in (select value from json_each(:ids)) order by at.position
"""
COMMENTS_TUNED = """
select c.*, u.username, u.bio, u.image,
       exists (select 1 from follows w
               where w.follower_id = :viewer and w.followed_id = c.author_id) as following
from comments c join users u on u.id = c.author_id
where c.article_id = :article order by c.created_at desc, c.id desc
"""
# --8<-- [end:tuned_sql]

# --8<-- [start:one_filter_sql]
# A query per filter. In the general filter, ":tag is null or ..." hides each
# filter's index from SQLite, which plans a statement once, before it knows
# which filters are set: it must walk every article, newest first. A query
# with nothing optional in it lets SQLite use the index that serves both the
# filter and the order, and stop after one page. Each count reads one row of
# article_counts (derived.sql) instead of counting every match.
#
# Deep pages: the spec pages by offset, and "offset 500" makes SQLite read
# the 500 rows it skips, favourite counts and all. So each query first finds
# its page's first entry in the index alone ("limit 1 offset :offset"), then
# reads the page from there. The offset still costs a walk, of index entries.
NEWEST_PAGE = """where (a.created_at, a.id) <= (
    select created_at, id from articles
    order by created_at desc, id desc limit 1 offset :offset)
order by a.created_at desc, a.id desc limit :limit
"""
NEWEST = ARTICLE_ROWS + NEWEST_PAGE
COUNT_ALL = "select coalesce((select articles from article_counts where kind = 'all'), 0)"
AUTHOR_PAGE = """where a.author_id = (select id from users where username = :author)
  and (a.created_at, a.id) <= (
    select created_at, id from articles
    where author_id = (select id from users where username = :author)
    order by created_at desc, id desc limit 1 offset :offset)
order by a.created_at desc, a.id desc limit :limit
"""
BY_AUTHOR = ARTICLE_ROWS + AUTHOR_PAGE
COUNT_BY_AUTHOR = """
select coalesce((select articles from article_counts where kind = 'author'
                 and key = (select id from users where username = :author)), 0)
"""
# A tag's newest articles, read in order from tagged_articles_newest. The
# article_tags index finds a tag's articles, but by id: all of a popular
# tag's, tens of thousands, would be sorted by date for every page.
TAG_PAGE = """from tagged_articles ta
join articles a on a.id = ta.article_id join users u on u.id = a.author_id
where ta.tag_id = (select id from tags where name = :tag)
  and (ta.created_at, ta.article_id) <= (
    select created_at, article_id from tagged_articles
    where tag_id = (select id from tags where name = :tag)
    order by created_at desc, article_id desc limit 1 offset :offset)
order by ta.created_at desc, ta.article_id desc limit :limit
"""
BY_TAG = ARTICLE_COLUMNS + TAG_PAGE
COUNT_BY_TAG = """
select coalesce((select articles from article_counts where kind = 'tag'
                 and key = (select id from tags where name = :tag)), 0)
"""
# One reader's favourites, newest first, read in order from favorited_articles.
FAVORITED_PAGE = """from favorited_articles fa
join articles a on a.id = fa.article_id join users u on u.id = a.author_id
where fa.user_id = (select id from users where username = :favorited)
  and (fa.created_at, fa.article_id) <= (
    select created_at, article_id from favorited_articles
    where user_id = (select id from users where username = :favorited)
    order by created_at desc, article_id desc limit 1 offset :offset)
order by fa.created_at desc, fa.article_id desc limit :limit
"""
BY_FAVORITED = ARTICLE_COLUMNS + FAVORITED_PAGE
COUNT_BY_FAVORITED = """
select coalesce((select articles from article_counts where kind = 'favorited'
                 and key = (select id from users where username = :favorited)), 0)
"""
ONE_FILTER = {  # the filters that are set: (count, page)
    (): (COUNT_ALL, NEWEST),
    ("author",): (COUNT_BY_AUTHOR, BY_AUTHOR),
    ("tag",): (COUNT_BY_TAG, BY_TAG),
    ("favorited",): (COUNT_BY_FAVORITED, BY_FAVORITED),
}
# --8<-- [end:one_filter_sql]

# --8<-- [start:feed_sql]
# Two ways to find the feed's page, and its count says which reads fewer rows:
# 1. each followed author's newest (limit + offset) articles, from
#    articles_by_author, then the newest of those (no older one can reach the
#    page): at most (limit + offset) rows per author followed;
# 2. every article, newest first, keeping the followed authors' ones: about
#    (limit + offset) * all articles / the feed's articles. Cheaper when the
#    authors you follow write much of everything.
FEED_PER_AUTHOR = """where a.id in (
    select b.id from follows w join articles b on b.id in (
        select c.id from articles c where c.author_id = w.followed_id
        order by c.created_at desc, c.id desc limit :limit + :offset)
    where w.follower_id = :follower
    order by b.created_at desc, b.id desc limit :limit offset :offset)
order by a.created_at desc, a.id desc
"""
FEED_TUNED = ARTICLE_ROWS + FEED_PER_AUTHOR
# The unary "+" keeps SQLite from looking the authors up in articles_by_author
# (SQLite's documented way to rule out an index for one term), so it walks
# articles_newest in order and stops after the page.
FEED_WALK = """from articles a join users u on u.id = a.author_id
where +a.author_id in (select followed_id from follows where follower_id = :follower)
order by a.created_at desc, a.id desc limit :limit offset :offset
"""
FEED_WALKING = ARTICLE_COLUMNS + FEED_WALK
# The count adds up the followed authors' kept counts; the same row says how
# many authors that is, and how many articles there are in all.
FEED_COUNT = """
select coalesce(sum(c.articles), 0) as articles, count(*) as authors,
       (select articles from article_counts where kind = 'all') as everyone
from follows w join article_counts c on c.kind = 'author' and c.key = w.followed_id
where w.follower_id = :follower
"""
# --8<-- [end:feed_sql]

# --8<-- [start:popular_tags_sql]
# The tags that the most articles use, listed by name. Every page carries the
# tag list, so its size must not grow with the data: 100 posts with new tags
# made the home page 369 kB before it had a limit. Their counts are kept in
# article_counts, so this reads one row per tag, never article_tags.
POPULAR_TAGS = """
select name from (
    select t.name from article_counts c join tags t on t.id = c.key
    where c.kind = 'tag' and c.articles > 0
    order by c.articles desc, t.name limit :limit
) order by name
"""
# --8<-- [end:popular_tags_sql]
