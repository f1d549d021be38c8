% # Lesson 3's link in the top bar (the layout's "nav" slot).
% if viewer:
<li><a href="/editor">New article</a></li>
% end
