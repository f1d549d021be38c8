% rebase('layout', title=title)
% # Each error's field: (the input's id, the start of its visible label).
% fields = {'title': ('title', 'Title'), 'description': ('description', 'Description'), 'body': ('body', 'Article'), 'tagList': ('tags', 'Tags')}
<h1>{{'Edit article' if slug else 'New article'}}</h1>
% include('form_errors', errors=errors, fields=fields)
<form id="editor" method="post" action="{{'/editor/' + slug if slug else '/editor'}}" class="card">
  {{!slot('form_fields')}}
  % # --8<-- [start:field]
  <label for="title">Title</label>
  <input id="title" name="title" value="{{article['title']}}" required maxlength="200"
         {{!field_state(errors, 'title')}}>
  % include('field_errors', field='title', label='Title')
  % # --8<-- [end:field]
  <label for="description">Description (what's this article about?)</label>
  <input id="description" name="description" value="{{article['description']}}" required
         {{!field_state(errors, 'description')}}>
  % include('field_errors', field='description', label='Description')
  <label for="body">Article (plain text; blank lines separate paragraphs)</label>
  <textarea id="body" name="body" rows="12" required
            {{!field_state(errors, 'body')}}>{{article['body']}}</textarea>
  % include('field_errors', field='body', label='Article')
  <label for="tags">Tags (separated by spaces or commas)</label>
  <input id="tags" name="tags" value="{{' '.join(article['tagList'] or [])}}"
         {{!field_state(errors, 'tagList')}}>
  % include('field_errors', field='tagList', label='Tags')
  <button>Publish article</button>
</form>
