% # Lesson 4: favourite an article (the article page's "favorite" slot).
% if viewer:
<form method="post" action="/article/{{article['slug']}}/favorite" class="inline">
  {{!slot('form_fields')}}
  <button>{{'Unfavourite' if article['favorited'] else 'Favourite'}} ({{article['favoritesCount']}})</button>
</form>
% else:
<span class="favorites">&#9829; {{article['favoritesCount']}}</span>
% end
