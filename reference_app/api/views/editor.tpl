% rebase('layout', title=title)
<h1>{{'Edit article' if slug else 'New article'}}</h1>
<form id="editor" method="post" action="{{'/editor/' + slug if slug else '/editor'}}" class="card">
  {{!slot('form_fields')}}
  <label for="title">Title</label>
  <input id="title" name="title" value="{{article['title']}}" required maxlength="200">
  % include('field_errors', field='title', label='title')
  <label for="description">What's this article about?</label>
  <input id="description" name="description" value="{{article['description']}}" required>
  % include('field_errors', field='description', label='description')
  <label for="body">Article (plain text; blank lines separate paragraphs)</label>
  <textarea id="body" name="body" rows="12" required>{{article['body']}}</textarea>
  % include('field_errors', field='body', label='body')
  <label for="tags">Tags (separated by spaces or commas)</label>
  <input id="tags" name="tags" value="{{' '.join(article['tagList'] or [])}}">
  % include('field_errors', field='tagList', label='tags')
  <button>Publish</button>
</form>
