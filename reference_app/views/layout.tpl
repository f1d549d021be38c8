<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{title}} · Conduit</title>
  <link rel="stylesheet" href="/static/style.css">
  % if defined('csrf_token'):
  <meta name="csrf-token" content="{{csrf_token}}">
  % end
</head>
<body>
<header class="topbar">
  <nav class="container">
    <a class="brand" href="/">conduit</a>
    <span class="stage" title="The lesson this app stops at">stage {{stage}}</span>
    <ul>
      <li><a href="/">Home</a></li>
      % if has_route('/feed', 'GET') and viewer:
      <li><a href="/feed">Your feed</a></li>
      % end
      % if has_route('/editor', 'GET') and viewer:
      <li><a href="/editor">New article</a></li>
      % end
      % if viewer:
      <li><a href="/profile/{{quote(viewer['username'])}}">{{viewer['username']}}</a></li>
      % end
      % if viewer and has_route('/logout'):
      <li><form method="post" action="/logout" class="inline">
        % include('csrf')
        <button class="link">Sign out</button></form></li>
      % elif has_route('/login'):
      <li><a href="/login">Sign in</a></li>
      <li><a href="/register">Sign up</a></li>
      % end
    </ul>
  </nav>
</header>
<main class="container">
{{!base}}
</main>
<footer class="container"><p>Stagecraft reference app · server-rendered, no JavaScript needed</p></footer>
</body>
</html>
