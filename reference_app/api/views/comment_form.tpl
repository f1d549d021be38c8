% # Lesson 3: write a comment (the article page's "comment_form" slot).
% if viewer:
% # After a refused comment: what the person wrote, and why (see forms.comment_form).
% draft = get('comment_draft', {'body': '', 'errors': []})
<form method="post" action="/article/{{article['slug']}}/comments" class="card">
  {{!slot('form_fields')}}
  <label for="comment-body">Write a comment</label>
  <textarea id="comment-body" name="body" rows="3" required>{{draft['body']}}</textarea>
  % include('field_errors', errors={'body': draft['errors']}, field='body', label='comment')
  <button>Post comment</button>
</form>
% end
