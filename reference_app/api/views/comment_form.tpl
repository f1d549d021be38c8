% # Lesson 3: write a comment (the article page's "comment_form" slot).
% if viewer:
<form method="post" action="/article/{{article['slug']}}/comments" class="card">
  {{!slot('form_fields')}}
  <label for="comment-body">Write a comment</label>
  <textarea id="comment-body" name="body" rows="3" required></textarea>
  <button>Post comment</button>
</form>
% end
