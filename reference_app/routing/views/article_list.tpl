% if not articles:
<p class="empty">No articles here yet.</p>
% end
% for article in articles:
<article class="preview">
  <div class="meta">
    <a href="/profile/{{quote(article['author']['username'])}}">{{article['author']['username']}}</a>
    <time datetime="{{article['createdAt']}}">{{article['createdAt'][:10]}}</time>
    <span class="favorites" title="favourites">&#9829; {{article['favoritesCount']}}</span>
  </div>
  <h2><a href="/article/{{article['slug']}}">{{article['title']}}</a></h2>
  <p>{{article['description']}}</p>
  <ul class="tags">
    % for tag in article['tagList']:
    <li><a href="/?tag={{quote(tag)}}">{{tag}}</a></li>
    % end
  </ul>
</article>
% end
