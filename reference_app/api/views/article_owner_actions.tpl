% # Lesson 3: an article's author may edit or delete it (the "article_actions" slot).
% if viewer and viewer['username'] == article['author']['username']:
<a class="button" href="/editor/{{article['slug']}}">Edit article</a>
<form method="post" action="/article/{{article['slug']}}/delete" class="inline">
  {{!slot('form_fields')}}
  <button class="danger">Delete article</button>
</form>
% end
