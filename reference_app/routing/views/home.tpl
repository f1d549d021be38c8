% rebase('layout', title=title)
<section class="banner">
  <h1>conduit</h1>
  <p>A place to share your knowledge, built one lesson at a time.</p>
</section>
<div class="columns">
  <div class="feed">
    <p class="tabs">
      % if get('feed'):
      <strong>Your feed</strong> · <a href="/">Global feed</a>
      % elif tag:
      <a href="/">Global feed</a> · <strong>#{{tag}}</strong>
      % else:
      <strong>Global feed</strong>
      % end
    </p>
    % include('article_list', articles=articles)
    % if pages > 1:
    <nav class="pagination" aria-label="pages">
      % for number in get('page_links') or range(1, pages + 1):
      % if number is None:
      <span aria-hidden="true">…</span>
      % elif number == page:
      <strong>{{number}}</strong>
      % else:
      <a href="/?page={{number}}{{'&tag=' + quote(tag) if tag else ''}}">{{number}}</a>
      % end
      % end
    </nav>
    % end
  </div>
  <aside class="sidebar">
    <h2>Tags</h2>
    <ul class="tags">
      % for name in tags:
      <li><a href="/?tag={{quote(name)}}">{{name}}</a></li>
      % end
    </ul>
  </aside>
</div>
