% rebase('layout', title=title)
<section class="article-head">
  <h1>{{article['title']}}</h1>
  <div class="meta">
    <a href="/profile/{{quote(article['author']['username'])}}">{{article['author']['username']}}</a>
    <time datetime="{{article['createdAt']}}">{{article['createdAt'][:10]}}</time>
    % favorite = slot('favorite', article=article)
    % if favorite:
    {{!favorite}}
    % else:
    <span class="favorites">&#9829; {{article['favoritesCount']}}</span>
    % end
    {{!slot('article_actions', article=article)}}
  </div>
</section>
<div class="article-body">
{{!body_html}}
</div>
<ul class="tags">
  % for tag in article['tagList']:
  <li><a href="/?tag={{quote(tag)}}">{{tag}}</a></li>
  % end
</ul>
<section id="comments" class="comments">
  <h2>Comments</h2>
  {{!slot('comment_form', article=article)}}
  % if not comments:
  <p class="empty">No comments yet.</p>
  % end
  % for comment in comments:
  <div class="card comment">
    <p>{{comment['body']}}</p>
    <div class="meta">
      <a href="/profile/{{quote(comment['author']['username'])}}">{{comment['author']['username']}}</a>
      <time datetime="{{comment['createdAt']}}">{{comment['createdAt'][:10]}}</time>
      {{!slot('comment_actions', article=article, comment=comment)}}
    </div>
  </div>
  % end
</section>
