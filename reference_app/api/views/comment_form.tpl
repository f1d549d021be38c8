% # Lesson 3: write a comment (the article page's "comment_form" slot).
% if viewer:
% # After a refused comment: what the person wrote, and why (see forms.comment_form).
% draft = get('comment_draft', {'body': '', 'errors': []})
% errors = {'body': draft['errors']} if draft['errors'] else {}
<form method="post" action="/article/{{article['slug']}}/comments" class="card">
  % include('form_errors', errors=errors, fields={'body': ('comment-body', 'Comment')})
  {{!slot('form_fields')}}
  <label for="comment-body">Write a comment</label>
  <textarea id="comment-body" name="body" rows="3" required
            {{!field_state(errors, 'body')}}>{{draft['body']}}</textarea>
  % include('field_errors', errors=errors, field='body', label='Comment')
  <button>Post comment</button>
</form>
% end
