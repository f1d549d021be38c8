% # Lesson 8: the script that shows new comments live, on article pages only (the "head" slot).
% if get('article') and get('comments') is not None:
<script src="/scripts/live-comments.js" defer></script>
% end
