% # Lesson 4's part of the top bar (the layout's "nav" slot).
% if viewer:
<li><a href="/feed">Your feed</a></li>
<li><a href="/profile/{{quote(viewer['username'])}}">{{viewer['username']}}</a></li>
<li><form method="post" action="/logout" class="inline">
  {{!slot('form_fields')}}
  <button class="link">Sign out</button></form></li>
% else:
<li><a href="/login">Sign in</a></li>
<li><a href="/register">Sign up</a></li>
% end
