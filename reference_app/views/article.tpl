% rebase('layout', title=title)
% mine = viewer and viewer['username'] == article['author']['username']
<section class="article-head">
  <h1>{{article['title']}}</h1>
  <div class="meta">
    <a href="/profile/{{quote(article['author']['username'])}}">{{article['author']['username']}}</a>
    <time datetime="{{article['createdAt']}}">{{article['createdAt'][:10]}}</time>
    % if viewer and has_route('/article/<slug:slug>/favorite'):
    <form method="post" action="/article/{{article['slug']}}/favorite" class="inline">
      % include('csrf')
      <button>{{'Unfavourite' if article['favorited'] else 'Favourite'}} ({{article['favoritesCount']}})</button>
    </form>
    % else:
    <span class="favorites">&#9829; {{article['favoritesCount']}}</span>
    % end
    % if mine and has_route('/editor/<slug:slug>', 'GET'):
    <a class="button" href="/editor/{{article['slug']}}">Edit</a>
    <form method="post" action="/article/{{article['slug']}}/delete" class="inline">
      % include('csrf')
      <button class="danger">Delete</button>
    </form>
    % end
  </div>
</section>
<div class="article-body">
  % for paragraph in article['body'].split('\n\n'):
  <p>{{paragraph}}</p>
  % end
</div>
<ul class="tags">
  % for tag in article['tagList']:
  <li><a href="/?tag={{quote(tag)}}">{{tag}}</a></li>
  % end
</ul>
<section id="comments" class="comments">
  <h2>Comments</h2>
  % if viewer and has_route('/article/<slug:slug>/comments'):
  <form method="post" action="/article/{{article['slug']}}/comments" class="card">
    % include('csrf')
    <label for="comment-body">Write a comment</label>
    <textarea id="comment-body" name="body" rows="3" required></textarea>
    <button>Post comment</button>
  </form>
  % end
  % if not comments:
  <p class="empty">No comments yet.</p>
  % end
  % for comment in comments:
  <div class="card comment">
    <p>{{comment['body']}}</p>
    <div class="meta">
      <a href="/profile/{{quote(comment['author']['username'])}}">{{comment['author']['username']}}</a>
      <time datetime="{{comment['createdAt']}}">{{comment['createdAt'][:10]}}</time>
      % if viewer and viewer['username'] == comment['author']['username'] and has_route('/article/<slug:slug>/comments/<comment_id:id>/delete'):
      <form method="post" action="/article/{{article['slug']}}/comments/{{comment['id']}}/delete" class="inline">
        % include('csrf')
        <button class="link">delete</button>
      </form>
      % end
    </div>
  </div>
  % end
</section>
