% # Lesson 3: a comment's author may delete it (the "comment_actions" slot).
% if viewer and viewer['username'] == comment['author']['username']:
<form method="post" action="/article/{{article['slug']}}/comments/{{comment['id']}}/delete" class="inline">
  {{!slot('form_fields')}}
  <button class="link">Delete comment</button>
</form>
% end
