% # Lesson 8: where the script announces each new comment (the "comment_form" slot).
% # A polite live region: a screen reader reads its new text when the reader pauses.
% # data-stream asks for the comments after the newest one this page shows.
% newest = max((comment['id'] for comment in get('comments') or []), default=0)
<p id="live-comments" class="visually-hidden" role="status" aria-live="polite"
   data-stream="/article/{{quote(article['slug'])}}/comments/live?after={{newest}}"></p>
